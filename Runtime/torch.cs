using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using ArchDsl.Runtime.Native;
using static ArchDsl.Runtime.Native.NativeMethods;

namespace ArchDsl.Runtime;

#pragma warning disable CS8981 // lower-case on purpose: torch.zeros(...) reads like PyTorch and TorchSharp
/// <summary>Tensor factories and free functions, named as in PyTorch/TorchSharp.</summary>
public static class torch
#pragma warning restore CS8981
{
    // ---- factories ----

    /// <summary>A tensor holding a copy of <paramref name="data"/>; <paramref name="shape"/> defaults to 1-d,
    /// <c>[]</c> makes a 0-dim tensor. With <paramref name="dtype"/> the values are converted after the copy.</summary>
    public static Tensor tensor(ReadOnlySpan<float> data, long[]? shape = null, ScalarType? dtype = null) => FromSpan(data, shape, dtype);
    public static Tensor tensor(ReadOnlySpan<double> data, long[]? shape = null, ScalarType? dtype = null) => FromSpan(data, shape, dtype);
    public static Tensor tensor(ReadOnlySpan<Half> data, long[]? shape = null, ScalarType? dtype = null) => FromSpan(data, shape, dtype);
    public static Tensor tensor(ReadOnlySpan<long> data, long[]? shape = null, ScalarType? dtype = null) => FromSpan(data, shape, dtype);
    public static Tensor tensor(ReadOnlySpan<int> data, long[]? shape = null, ScalarType? dtype = null) => FromSpan(data, shape, dtype);
    public static Tensor tensor(ReadOnlySpan<bool> data, long[]? shape = null, ScalarType? dtype = null) => FromSpan(data, shape, dtype);

    /// <summary>A 0-dim tensor.</summary>
    public static Tensor tensor(float value) => FromSpan<float>([value], [], null);
    public static Tensor tensor(double value) => FromSpan<double>([value], [], null);
    public static Tensor tensor(long value) => FromSpan<long>([value], [], null);
    public static Tensor tensor(bool value) => FromSpan<bool>([value], [], null);

    /// <summary>A tensor from raw little-endian element bytes (numel * element size of them).</summary>
    public static unsafe Tensor from_bytes(ReadOnlySpan<byte> data, ScalarType dtype, long[] shape)
    {
        fixed (byte* d = data)
        fixed (long* s = shape)
            return Tensor.Wrap(archdsl_from_data(d, data.Length, (int)dtype, s, shape.Length, out var r), r);
    }

    private static Tensor FromSpan<T>(ReadOnlySpan<T> data, long[]? shape, ScalarType? dtype) where T : unmanaged
    {
        var natural = ScalarTypes.Of<T>();
        var created = from_bytes(MemoryMarshal.AsBytes(data), natural, shape ?? [data.Length]);
        if (dtype is not { } wanted || wanted == natural) return created;
        using (created) return created.to(wanted);
    }

    private static unsafe Tensor Factory(int kind, long[] shape, ScalarType dtype, NativeScalar value, long seed)
    {
        fixed (long* s = shape) return Tensor.Wrap(archdsl_factory(kind, s, shape.Length, (int)dtype, value, seed, out var r), r);
    }

    public static Tensor empty(long[] shape, ScalarType dtype = ScalarType.Float32) => Factory(Empty, shape, dtype, default, -1);
    public static Tensor zeros(long[] shape, ScalarType dtype = ScalarType.Float32) => Factory(Full, shape, dtype, NativeScalar.Of(0L), -1);
    public static Tensor ones(long[] shape, ScalarType dtype = ScalarType.Float32) => Factory(Full, shape, dtype, NativeScalar.Of(1L), -1);
    public static Tensor full(long[] shape, double value, ScalarType dtype = ScalarType.Float32) => Factory(Full, shape, dtype, NativeScalar.Of(value), -1);
    public static Tensor full(long[] shape, long value, ScalarType dtype = ScalarType.Int64) => Factory(Full, shape, dtype, NativeScalar.Of(value), -1);

    /// <summary>Standard normal samples. With a seed they come from a private generator seeded with it
    /// (same values as <c>torch.manual_seed(seed); torch.randn(shape)</c>); without, from the default generator.</summary>
    public static Tensor randn(long[] shape, long? seed = null, ScalarType dtype = ScalarType.Float32) =>
        Factory(Randn, shape, dtype, default, SeedArgument(seed));

    /// <summary>Uniform samples in [0, 1); seeding as for <see cref="randn"/>.</summary>
    public static Tensor rand(long[] shape, long? seed = null, ScalarType dtype = ScalarType.Float32) =>
        Factory(Rand, shape, dtype, default, SeedArgument(seed));

    private static long SeedArgument(long? seed) =>
        seed is < 0 ? throw new ArgumentOutOfRangeException(nameof(seed), seed, "seed must be non-negative") : seed ?? -1;

    /// <summary>0, 1, ..., end - 1 as int64.</summary>
    public static Tensor arange(long end) => arange(0, end);

    public static Tensor arange(long start, long end, long step = 1) =>
        Tensor.Wrap(archdsl_arange(NativeScalar.Of(start), NativeScalar.Of(end), NativeScalar.Of(step), (int)ScalarType.Int64, out var r), r);

    public static Tensor arange(double start, double end, double step = 1.0, ScalarType dtype = ScalarType.Float32) =>
        Tensor.Wrap(archdsl_arange(NativeScalar.Of(start), NativeScalar.Of(end), NativeScalar.Of(step), (int)dtype, out var r), r);

    // ---- joining ----

    public static Tensor cat(IReadOnlyList<Tensor> tensors, long dim = 0) => Join(tensors, dim, stack: false);

    public static Tensor stack(IReadOnlyList<Tensor> tensors, long dim = 0) => Join(tensors, dim, stack: true);

    private static unsafe Tensor Join(IReadOnlyList<Tensor> tensors, long dim, bool stack)
    {
        // the handles are pinned by hand: an array of SafeHandles has no generated marshaller
        var handles = new TensorHandle[tensors.Count];
        var raw = new IntPtr[tensors.Count];
        int added = 0;
        try
        {
            for (; added < handles.Length; added++)
            {
                handles[added] = tensors[added].Handle;
                bool ok = false;
                handles[added].DangerousAddRef(ref ok);
                raw[added] = handles[added].DangerousGetHandle();
            }
            fixed (IntPtr* p = raw)
            {
                int status = stack ? archdsl_stack(p, raw.Length, dim, out var r) : archdsl_cat(p, raw.Length, dim, out r);
                return Tensor.Wrap(status, r);
            }
        }
        finally
        {
            for (int i = 0; i < added; i++) handles[i].DangerousRelease();
        }
    }

    // ---- products (reported to an open OpObserver; an open OpRecorder sees them through Tensor.Binary) ----

    public static Tensor matmul(Tensor a, Tensor b)
    {
        var result = a.Binary(NativeMethods.Binary.MatMul, b);
        if (OpObserver.IsActive) OpObserver.Report("matmul", a, b, result);
        return result;
    }

    public static Tensor bmm(Tensor a, Tensor b)
    {
        var result = a.Binary(NativeMethods.Binary.Bmm, b);
        if (OpObserver.IsActive) OpObserver.Report("bmm", a, b, result);
        return result;
    }

    // ---- misc ----

    public static Tensor where(Tensor condition, Tensor a, Tensor b)
    {
        var result = Tensor.Wrap(archdsl_where(condition.Handle, a.Handle, b.Handle, out var r), r);
        if (OpRecorder.IsActive) OpRecorder.Record("where", result, "", condition, a, b);
        return result;
    }

    public static bool allclose(Tensor a, Tensor b, double rtol = 1e-5, double atol = 1e-8, bool equal_nan = false) =>
        a.allclose(b, rtol, atol, equal_nan);

    /// <summary>max |a - b| over all elements, computed in float64; the shapes must be equal.</summary>
    public static double max_abs_diff(Tensor a, Tensor b)
    {
        Check(archdsl_max_abs_diff(a.Handle, b.Handle, out double result));
        return result;
    }

    // ---- runtime ----

    public static DisposeScope NewDisposeScope() => DisposeScopeManager.Open();

    /// <summary>Runs <paramref name="body"/> in a new dispose scope and keeps only its result.</summary>
    public static Tensor WrappedTensorDisposeScope(Func<Tensor> body)
    {
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(body());
    }

    /// <summary>No graph is recorded until the scope is disposed (parameter updates, evaluation whose outputs feed a
    /// trained module). See <see cref="GradMode"/> for the rule outside every scope.</summary>
    public static IDisposable no_grad() => new GradMode.Scope(GradMode.Kind.Disabled);

    /// <summary>A graph is recorded for tensors that require grad, also through modules in eval mode.</summary>
    public static IDisposable enable_grad() => new GradMode.Scope(GradMode.Kind.Enabled);

    /// <summary>libtorch's inference mode (the fastest evaluation): results are inference tensors that autograd cannot use.</summary>
    public static IDisposable inference_mode() => new GradMode.Scope(GradMode.Kind.Inference);

    public static bool is_grad_enabled() => GradMode.IsEnabled;

    public static void manual_seed(long seed)
    {
        if (seed < 0) throw new ArgumentOutOfRangeException(nameof(seed), seed, "seed must be non-negative");
        Check(archdsl_manual_seed((ulong)seed));
    }

    /// <summary>Intra-op threads for every thread that calls into libtorch, and OpenBLAS's pool (which libtorch's count does
    /// not reach). Defaults to 1 for libtorch, OpenBLAS keeping its own (see NativeRuntime: the faster choice at batch 1
    /// on small machines).</summary>
    public static void set_num_threads(int threads) => NativeRuntime.SetThreads(threads);

    public static int get_num_threads()
    {
        NativeRuntime.EnsureDefaultThreads();
        return archdsl_get_num_threads();
    }

    /// <summary>Threads of OpenBLAS's pool, which runs linear layers and matmuls; -1 when libtorch uses another BLAS.</summary>
    public static int get_blas_num_threads()
    {
        NativeRuntime.EnsureDefaultThreads();
        Check(archdsl_get_blas_threads(out int n));
        return n;
    }
}
