using System;
using System.Threading;

namespace ArchDsl.Runtime.Native;

/// <summary>Process-wide native settings. The intra-op thread count defaults to 1 unless the application chose one:
/// measured on 2-core machines (archdsl bench), OpenMP's synchronisation makes batch-1 forward passes 1.0–3.5× slower
/// with 2 threads (the many small ops of the 7×7 stages), while batch 8 gains about 20%. Large matmuls are threaded
/// by OpenBLAS itself either way. Throughput users call torch.set_num_threads.</summary>
internal static class NativeRuntime
{
    public const int DefaultThreads = 1;

    private static int s_threadsChosen;

    internal static void EnsureDefaultThreads()
    {
        if (Interlocked.CompareExchange(ref s_threadsChosen, 1, 0) == 0)
            NativeMethods.Check(NativeMethods.archdsl_set_num_threads(DefaultThreads));
    }

    internal static void SetThreads(int n)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), n, "number of threads must be positive");
        Volatile.Write(ref s_threadsChosen, 1);
        NativeMethods.Check(NativeMethods.archdsl_set_num_threads(n));
    }
}
