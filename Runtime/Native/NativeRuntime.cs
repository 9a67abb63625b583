using System;
using System.Threading;

namespace ArchDsl.Runtime.Native;

/// <summary>Process-wide native settings. The intra-op thread count defaults to 1 unless the application chose one:
/// measured on 2-core machines (archdsl bench), OpenMP's synchronisation makes batch-1 forward passes 1.0–3.5× slower
/// with 2 threads (the many small ops of the 7×7 stages), while batch 8 gains about 20%. By default OpenBLAS, which
/// libtorch's thread count does not reach, keeps its own pool (a thread per core) for linear layers and matmuls;
/// torch.set_num_threads sets both, so that n threads means n threads. Throughput users call torch.set_num_threads.</summary>
internal static class NativeRuntime
{
    public const int DefaultThreads = 1;

    private static int s_threadsChosen;

    /// <summary>Entries in oneDNN's process-wide primitive cache (oneDNN's default is 1024). Every input size a model
    /// has not seen creates new primitives, each holding a JIT-compiled kernel, so a service fed many sizes grew by
    /// ~1.1 MiB per size up to ~160 MB (Tests/Models/MemoryTests.cs). One zoo model at one size needs 4–90 entries
    /// (EMSNet-XXTiny the most; counted with DNNL_VERBOSE=2), so 256 keep every primitive of a fixed-size workload:
    /// measured by alternating the capacity in one process on the 2-core machine, CAS-ViT-XS at 224² ran at 0.96×
    /// the latency of capacity 1024 (median of 120 passes each: the same within noise), against 2.8× with no cache.
    /// The cost falls on workloads cycling through more sizes than fit: 40 sizes of 64–142² ran 1.42× slower than
    /// with 1024 entries (12 sizes of 200–222² still 0.96×). The environment variables oneDNN reads itself,
    /// ONEDNN_PRIMITIVE_CACHE_CAPACITY and DNNL_PRIMITIVE_CACHE_CAPACITY, take precedence.</summary>
    public const int DefaultPrimitiveCacheCapacity = 256;

    private static int s_defaultsApplied;

    /// <summary>Applies the process-wide defaults once, before the first tensor exists.</summary>
    internal static void EnsureDefaults()
    {
        if (Interlocked.CompareExchange(ref s_defaultsApplied, 1, 0) != 0) return;
        EnsureDefaultThreads();
        if (Environment.GetEnvironmentVariable("ONEDNN_PRIMITIVE_CACHE_CAPACITY") is null &&
            Environment.GetEnvironmentVariable("DNNL_PRIMITIVE_CACHE_CAPACITY") is null)
        {
            // a libtorch without oneDNN (or hiding its symbols) has no such cache to bound: nothing to do then
            NativeMethods.archdsl_set_primitive_cache_capacity(DefaultPrimitiveCacheCapacity, out _);
        }
    }

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
        NativeMethods.Check(NativeMethods.archdsl_set_blas_threads(n, out _));
    }
}
