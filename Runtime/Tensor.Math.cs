using System;
using ArchDsl.Runtime.Native;
using static ArchDsl.Runtime.Native.NativeMethods;

namespace ArchDsl.Runtime;

// Elementwise math, comparisons, reductions and operators. Tensor-tensor ops broadcast like PyTorch;
// an integral scalar keeps an integer tensor integral, a floating scalar promotes it. Each native call here is
// reported to an open OpRecorder (layout unaries such as alias and contiguous are not).
public sealed partial class Tensor
{
    internal Tensor Unary(NativeMethods.Unary op)
    {
        var result = Wrap(archdsl_unary(op, Handle, out var r), r);
        if (OpRecorder.IsActive && UnaryName(op) is { } name) OpRecorder.Record(name, result, "", this);
        return result;
    }

    /// <summary>An activation computed in place: this tensor is overwritten; the result is a new handle to it.</summary>
    internal Tensor UnaryInPlace(NativeMethods.Unary op)
    {
        var result = Wrap(archdsl_unary_(op, Handle, out var r), r);
        if (OpRecorder.IsActive && UnaryName(op) is { } name) OpRecorder.Record(name, result, "", this);
        return result;
    }

    internal Tensor Binary(NativeMethods.Binary op, Tensor other)
    {
        var result = Wrap(archdsl_binary(op, Handle, other.Handle, out var r), r);
        if (OpRecorder.IsActive) OpRecorder.Record(BinaryName(op), result, "", this, other);
        return result;
    }

    internal Tensor Binary(NativeMethods.Binary op, double other)
    {
        var result = Wrap(archdsl_binary_scalar(op, Handle, NativeScalar.Of(other), out var r), r);
        if (OpRecorder.IsActive) OpRecorder.Record(BinaryName(op) + "_scalar", result, ScalarDetail(op, OpRecorder.Number(other)), this);
        return result;
    }

    internal Tensor Binary(NativeMethods.Binary op, long other)
    {
        var result = Wrap(archdsl_binary_scalar(op, Handle, NativeScalar.Of(other), out var r), r);
        if (OpRecorder.IsActive) OpRecorder.Record(BinaryName(op) + "_scalar", result, ScalarDetail(op, OpRecorder.Number(other)), this);
        return result;
    }

    /// <summary>The recorded name of a unary op; null for layout ops (alias, clone, contiguous, detach).</summary>
    private static string? UnaryName(NativeMethods.Unary op) => op switch
    {
        NativeMethods.Unary.Alias or NativeMethods.Unary.Clone or NativeMethods.Unary.Contiguous or NativeMethods.Unary.Detach => null,
        NativeMethods.Unary.Neg => "neg",
        NativeMethods.Unary.Abs => "abs",
        NativeMethods.Unary.Exp => "exp",
        NativeMethods.Unary.Log => "log",
        NativeMethods.Unary.Sqrt => "sqrt",
        NativeMethods.Unary.Rsqrt => "rsqrt",
        NativeMethods.Unary.Tanh => "tanh",
        NativeMethods.Unary.Sigmoid => "sigmoid",
        NativeMethods.Unary.Relu => "relu",
        NativeMethods.Unary.Relu6 => "relu6",
        NativeMethods.Unary.Gelu => "gelu",
        NativeMethods.Unary.GeluTanh => "gelu_tanh",
        NativeMethods.Unary.Silu => "silu",
        NativeMethods.Unary.Hardswish => "hardswish",
        NativeMethods.Unary.Hardsigmoid => "hardsigmoid",
        _ => op.ToString().ToLowerInvariant(),
    };

    /// <summary>The recorded name of a binary op; scalar - x and scalar / x count as sub and div.</summary>
    private static string BinaryName(NativeMethods.Binary op) => op switch
    {
        NativeMethods.Binary.Add => "add",
        NativeMethods.Binary.Sub or NativeMethods.Binary.RSub => "sub",
        NativeMethods.Binary.Mul => "mul",
        NativeMethods.Binary.Div or NativeMethods.Binary.RDiv => "div",
        NativeMethods.Binary.MatMul => "matmul",
        NativeMethods.Binary.Bmm => "bmm",
        _ => op.ToString().ToLowerInvariant(),
    };

    /// <summary>"x + 2", "3 - x": where the scalar stands.</summary>
    private static string ScalarDetail(NativeMethods.Binary op, string value) => op switch
    {
        NativeMethods.Binary.Add => "x + " + value,
        NativeMethods.Binary.Sub => "x - " + value,
        NativeMethods.Binary.RSub => value + " - x",
        NativeMethods.Binary.Mul => "x * " + value,
        NativeMethods.Binary.Div => "x / " + value,
        NativeMethods.Binary.RDiv => value + " / x",
        _ => value,
    };

    public Tensor add(Tensor other) => Binary(NativeMethods.Binary.Add, other);
    public Tensor add(double other) => Binary(NativeMethods.Binary.Add, other);
    public Tensor add(long other) => Binary(NativeMethods.Binary.Add, other);
    public Tensor sub(Tensor other) => Binary(NativeMethods.Binary.Sub, other);
    public Tensor sub(double other) => Binary(NativeMethods.Binary.Sub, other);
    public Tensor sub(long other) => Binary(NativeMethods.Binary.Sub, other);
    public Tensor mul(Tensor other) => Binary(NativeMethods.Binary.Mul, other);
    public Tensor mul(double other) => Binary(NativeMethods.Binary.Mul, other);
    public Tensor mul(long other) => Binary(NativeMethods.Binary.Mul, other);
    /// <summary>True division (integer inputs give a floating result, as in PyTorch).</summary>
    public Tensor div(Tensor other) => Binary(NativeMethods.Binary.Div, other);
    public Tensor div(double other) => Binary(NativeMethods.Binary.Div, other);
    public Tensor div(long other) => Binary(NativeMethods.Binary.Div, other);
    public Tensor pow(Tensor exponent) => Binary(NativeMethods.Binary.Pow, exponent);
    public Tensor pow(double exponent) => Binary(NativeMethods.Binary.Pow, exponent);
    public Tensor pow(long exponent) => Binary(NativeMethods.Binary.Pow, exponent);
    public Tensor maximum(Tensor other) => Binary(NativeMethods.Binary.Maximum, other);
    public Tensor minimum(Tensor other) => Binary(NativeMethods.Binary.Minimum, other);

    public Tensor eq(Tensor other) => Binary(NativeMethods.Binary.Eq, other);
    public Tensor eq(double other) => Binary(NativeMethods.Binary.Eq, other);
    public Tensor ne(Tensor other) => Binary(NativeMethods.Binary.Ne, other);
    public Tensor ne(double other) => Binary(NativeMethods.Binary.Ne, other);
    public Tensor lt(Tensor other) => Binary(NativeMethods.Binary.Lt, other);
    public Tensor lt(double other) => Binary(NativeMethods.Binary.Lt, other);
    public Tensor le(Tensor other) => Binary(NativeMethods.Binary.Le, other);
    public Tensor le(double other) => Binary(NativeMethods.Binary.Le, other);
    public Tensor gt(Tensor other) => Binary(NativeMethods.Binary.Gt, other);
    public Tensor gt(double other) => Binary(NativeMethods.Binary.Gt, other);
    public Tensor ge(Tensor other) => Binary(NativeMethods.Binary.Ge, other);
    public Tensor ge(double other) => Binary(NativeMethods.Binary.Ge, other);

    public Tensor neg() => Unary(NativeMethods.Unary.Neg);
    public Tensor abs() => Unary(NativeMethods.Unary.Abs);
    public Tensor exp() => Unary(NativeMethods.Unary.Exp);
    public Tensor log() => Unary(NativeMethods.Unary.Log);
    public Tensor sqrt() => Unary(NativeMethods.Unary.Sqrt);
    public Tensor rsqrt() => Unary(NativeMethods.Unary.Rsqrt);
    public Tensor tanh() => Unary(NativeMethods.Unary.Tanh);
    public Tensor sigmoid() => Unary(NativeMethods.Unary.Sigmoid);
    public Tensor relu() => Unary(NativeMethods.Unary.Relu);

    public unsafe Tensor clamp(double? min = null, double? max = null)
    {
        double lo = min.GetValueOrDefault(), hi = max.GetValueOrDefault();
        var result = Wrap(archdsl_clamp(Handle, min.HasValue ? &lo : null, max.HasValue ? &hi : null, out var r), r);
        if (OpRecorder.IsActive)
            OpRecorder.Record("clamp", result, $"min={(min is { } a ? OpRecorder.Number(a) : "none")}, max={(max is { } b ? OpRecorder.Number(b) : "none")}", this);
        return result;
    }

    public Tensor clamp_min(double min) => clamp(min: min);

    public Tensor clamp_max(double max) => clamp(max: max);

    /// <summary>Elements of this tensor where <paramref name="mask"/> is false, <paramref name="value"/> where it is true.</summary>
    public Tensor masked_fill(Tensor mask, double value)
    {
        var result = Wrap(archdsl_masked_fill(Handle, mask.Handle, NativeScalar.Of(value), out var r), r);
        if (OpRecorder.IsActive) OpRecorder.Record("masked_fill", result, OpRecorder.Number(value), this, mask);
        return result;
    }

    public Tensor matmul(Tensor other) => torch.matmul(this, other);

    public Tensor bmm(Tensor other) => torch.bmm(this, other);

    public Tensor softmax(long dim) => Softmax(dim, log: false);

    public Tensor log_softmax(long dim) => Softmax(dim, log: true);

    private Tensor Softmax(long dim, bool log)
    {
        var result = Wrap(archdsl_softmax(Handle, dim, log ? 1 : 0, out var r), r);
        if (OpRecorder.IsActive) OpRecorder.Record(log ? "log_softmax" : "softmax", result, "dim=" + OpRecorder.Number(dim), this);
        return result;
    }

    // ---- reductions (no dims: over all elements) ----

    internal unsafe Tensor Reduce(NativeMethods.Reduce op, ReadOnlySpan<long> dims, bool keepdim)
    {
        Tensor result;
        fixed (long* p = dims) result = Wrap(archdsl_reduce(op, Handle, p, dims.Length, keepdim ? 1 : 0, out var r), r);
        if (OpRecorder.IsActive) OpRecorder.Record(op.ToString().ToLowerInvariant(), result, ReduceDetail(dims, keepdim), this);
        return result;
    }

    /// <summary>"dims=[2, 3], keepdim=false", or "all" for a reduction over every element.</summary>
    private static string ReduceDetail(ReadOnlySpan<long> dims, bool keepdim) =>
        dims.Length == 0 ? "all" : $"dims={OpRecorder.Dims(dims)}, keepdim={OpRecorder.Bool(keepdim)}";

    public Tensor sum() => Reduce(NativeMethods.Reduce.Sum, [], false);
    public Tensor sum(long dim, bool keepdim = false) => Reduce(NativeMethods.Reduce.Sum, [dim], keepdim);
    public Tensor sum(long[] dims, bool keepdim = false) => Reduce(NativeMethods.Reduce.Sum, dims, keepdim);
    public Tensor mean() => Reduce(NativeMethods.Reduce.Mean, [], false);
    public Tensor mean(long dim, bool keepdim = false) => Reduce(NativeMethods.Reduce.Mean, [dim], keepdim);
    public Tensor mean(long[] dims, bool keepdim = false) => Reduce(NativeMethods.Reduce.Mean, dims, keepdim);
    public Tensor amax(long dim, bool keepdim = false) => Reduce(NativeMethods.Reduce.Amax, [dim], keepdim);
    public Tensor amax(long[] dims, bool keepdim = false) => Reduce(NativeMethods.Reduce.Amax, dims, keepdim);
    public Tensor amin(long dim, bool keepdim = false) => Reduce(NativeMethods.Reduce.Amin, [dim], keepdim);
    public Tensor amin(long[] dims, bool keepdim = false) => Reduce(NativeMethods.Reduce.Amin, dims, keepdim);

    /// <summary>The largest element, as a 0-dim tensor.</summary>
    public Tensor max() => Reduce(NativeMethods.Reduce.Amax, [], false);

    /// <summary>The smallest element, as a 0-dim tensor.</summary>
    public Tensor min() => Reduce(NativeMethods.Reduce.Amin, [], false);

    /// <summary>Largest values along <paramref name="dim"/> and their indices (int64).</summary>
    public (Tensor values, Tensor indexes) max(long dim, bool keepdim = false)
    {
        int status = archdsl_max_dim(Handle, dim, keepdim ? 1 : 0, out var values, out var indices);
        if (status != 0)
        {
            values.Dispose();
            indices.Dispose();
            Check(status);
        }
        var result = (new Tensor(values), new Tensor(indices));
        if (OpRecorder.IsActive) OpRecorder.Record("max", result.Item1, ReduceDetail([dim], keepdim), this);
        return result;
    }

    /// <summary>The <paramref name="k"/> largest (or smallest) values along <paramref name="dim"/> and their indices (int64),
    /// in order when <paramref name="sorted"/> (torch.topk).</summary>
    public (Tensor values, Tensor indexes) topk(long k, long dim = -1, bool largest = true, bool sorted = true)
    {
        int status = archdsl_topk(Handle, k, dim, largest ? 1 : 0, sorted ? 1 : 0, out var values, out var indices);
        if (status != 0)
        {
            values.Dispose();
            indices.Dispose();
            Check(status);
        }
        var result = (new Tensor(values), new Tensor(indices));
        if (OpRecorder.IsActive)
            OpRecorder.Record("topk", result.Item1, $"k={OpRecorder.Number(k)}, dim={OpRecorder.Number(dim)}, largest={OpRecorder.Bool(largest)}", this);
        return result;
    }

    /// <summary>Index of the largest element of the flattened tensor.</summary>
    public Tensor argmax() => ArgReduction(ArgReduce.Argmax, null, false);
    public Tensor argmax(long dim, bool keepdim = false) => ArgReduction(ArgReduce.Argmax, dim, keepdim);
    public Tensor argmin() => ArgReduction(ArgReduce.Argmin, null, false);
    public Tensor argmin(long dim, bool keepdim = false) => ArgReduction(ArgReduce.Argmin, dim, keepdim);

    private Tensor ArgReduction(ArgReduce op, long? dim, bool keepdim)
    {
        var result = Wrap(archdsl_arg_reduce(op, Handle, dim.GetValueOrDefault(), dim.HasValue ? 1 : 0, keepdim ? 1 : 0, out var r), r);
        if (OpRecorder.IsActive)
            OpRecorder.Record(op == ArgReduce.Argmax ? "argmax" : "argmin", result, dim is { } d ? ReduceDetail([d], keepdim) : "all", this);
        return result;
    }

    /// <summary>Same shape and dtype, and |a - b| &lt;= atol + rtol * |b| elementwise.</summary>
    public bool allclose(Tensor other, double rtol = 1e-5, double atol = 1e-8, bool equal_nan = false)
    {
        Check(archdsl_allclose(Handle, other.Handle, rtol, atol, equal_nan ? 1 : 0, out int result));
        return result != 0;
    }

    // ---- operators ----

    public static Tensor operator +(Tensor a, Tensor b) => a.add(b);
    public static Tensor operator +(Tensor a, double b) => a.add(b);
    public static Tensor operator +(Tensor a, long b) => a.add(b);
    public static Tensor operator +(double a, Tensor b) => b.add(a);
    public static Tensor operator +(long a, Tensor b) => b.add(a);
    public static Tensor operator -(Tensor a, Tensor b) => a.sub(b);
    public static Tensor operator -(Tensor a, double b) => a.sub(b);
    public static Tensor operator -(Tensor a, long b) => a.sub(b);
    public static Tensor operator -(double a, Tensor b) => b.Binary(NativeMethods.Binary.RSub, a);
    public static Tensor operator -(long a, Tensor b) => b.Binary(NativeMethods.Binary.RSub, a);
    public static Tensor operator *(Tensor a, Tensor b) => a.mul(b);
    public static Tensor operator *(Tensor a, double b) => a.mul(b);
    public static Tensor operator *(Tensor a, long b) => a.mul(b);
    public static Tensor operator *(double a, Tensor b) => b.mul(a);
    public static Tensor operator *(long a, Tensor b) => b.mul(a);
    public static Tensor operator /(Tensor a, Tensor b) => a.div(b);
    public static Tensor operator /(Tensor a, double b) => a.div(b);
    public static Tensor operator /(Tensor a, long b) => a.div(b);
    public static Tensor operator /(double a, Tensor b) => b.Binary(NativeMethods.Binary.RDiv, a);
    public static Tensor operator /(long a, Tensor b) => b.Binary(NativeMethods.Binary.RDiv, a);
    public static Tensor operator -(Tensor a) => a.neg();
}
