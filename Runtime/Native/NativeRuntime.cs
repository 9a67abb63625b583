using System;
using System.Threading;

namespace ArchDsl.Runtime.Native;

/// <summary>Process-wide native settings. libtorch's default thread count on Debian's build is the
/// number of physical cores (often 1 on small VMs); we default to all logical processors unless the
/// application chose a count first.</summary>
internal static class NativeRuntime
{
    private static int s_threadsChosen;

    internal static void EnsureDefaultThreads()
    {
        if (Interlocked.CompareExchange(ref s_threadsChosen, 1, 0) == 0)
            NativeMethods.Check(NativeMethods.archdsl_set_num_threads(Environment.ProcessorCount));
    }

    internal static void SetThreads(int n)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), n, "number of threads must be positive");
        Volatile.Write(ref s_threadsChosen, 1);
        NativeMethods.Check(NativeMethods.archdsl_set_num_threads(n));
    }
}
