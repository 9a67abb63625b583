using System;
using System.Collections.Generic;
using ArchDsl.Runtime.Native;
using static ArchDsl.Runtime.Native.NativeMethods;

namespace ArchDsl.Runtime;

// Shape, layout and indexing ops. Views (view, transpose, permute, narrow, ...) share storage with
// this tensor, as in PyTorch.
public sealed partial class Tensor
{
    private unsafe Tensor ShapeOperation(NativeMethods.ShapeOp op, ReadOnlySpan<long> sizes)
    {
        fixed (long* p = sizes) return Wrap(archdsl_shape_op(op, Handle, p, sizes.Length, out var r), r);
    }

    public Tensor reshape(params long[] shape) => ShapeOperation(ShapeOp.Reshape, shape);
    public Tensor view(params long[] shape) => ShapeOperation(ShapeOp.View, shape);
    public Tensor expand(params long[] sizes) => ShapeOperation(ShapeOp.Expand, sizes);
    /// <summary>expand(other.shape): a broadcast view with <paramref name="other"/>'s shape.</summary>
    public Tensor expand_as(Tensor other) => ShapeOperation(ShapeOp.Expand, other.Shape);
    public Tensor repeat(params long[] repeats) => ShapeOperation(ShapeOp.Repeat, repeats);
    public Tensor permute(params long[] dims) => ShapeOperation(ShapeOp.Permute, dims);

    public Tensor transpose(long dim0, long dim1) => Wrap(archdsl_transpose(Handle, dim0, dim1, out var r), r);
    public Tensor flatten(long start_dim = 0, long end_dim = -1) => Wrap(archdsl_flatten(Handle, start_dim, end_dim, out var r), r);
    public Tensor unsqueeze(long dim) => Wrap(archdsl_unsqueeze(Handle, dim, out var r), r);
    /// <summary>Removes every dimension of size 1.</summary>
    public Tensor squeeze() => Wrap(archdsl_squeeze(Handle, 0, 0, out var r), r);
    /// <summary>Removes <paramref name="dim"/> if its size is 1 (otherwise returns an alias, as PyTorch does).</summary>
    public Tensor squeeze(long dim) => Wrap(archdsl_squeeze(Handle, dim, 1, out var r), r);
    public Tensor narrow(long dim, long start, long length) => Wrap(archdsl_narrow(Handle, dim, start, length, out var r), r);
    /// <summary>Elements start, start+step, ... before end along dim (Python's <c>x[..., start:end:step]</c>).</summary>
    public Tensor slice(long dim, long start, long end, long step = 1) => Wrap(archdsl_slice(Handle, dim, start, end, step, out var r), r);
    /// <summary>The slice at <paramref name="index"/> along <paramref name="dim"/>, which is removed.</summary>
    public Tensor select(long dim, long index) => Wrap(archdsl_select(Handle, dim, index, out var r), r);

    public unsafe Tensor roll(long[] shifts, long[] dims)
    {
        fixed (long* s = shifts)
        fixed (long* d = dims)
            return Wrap(archdsl_roll(Handle, s, shifts.Length, d, dims.Length, out var r), r);
    }

    public Tensor roll(long shift, long dim) => roll([shift], [dim]);

    public Tensor contiguous() => Unary(NativeMethods.Unary.Contiguous);
    public Tensor clone() => Unary(NativeMethods.Unary.Clone);
    /// <summary>A new handle to the same tensor (same storage, shape and strides); disposing either leaves the other valid.</summary>
    public Tensor alias() => Unary(NativeMethods.Unary.Alias);

    public Tensor to(ScalarType dtype) => Wrap(archdsl_to_dtype(Handle, (int)dtype, out var r), r);

    /// <summary>Splits into <paramref name="chunks"/> pieces along dim (the last may be smaller, and fewer may come back, as in PyTorch).</summary>
    public unsafe Tensor[] chunk(long chunks, long dim = 0)
    {
        if (chunks <= 0) throw new ArgumentOutOfRangeException(nameof(chunks), chunks, "chunks must be positive");
        long length = size(dim);
        int capacity = checked((int)(length == 0 ? chunks : Math.Min(chunks, length)));
        var outs = new IntPtr[capacity];
        fixed (IntPtr* p = outs)
        {
            Check(archdsl_chunk(Handle, chunks, dim, p, capacity, out int count));
            return WrapAll(outs, count);
        }
    }

    /// <summary>Splits into pieces of <paramref name="split_size"/> along dim (the last may be smaller).</summary>
    public Tensor[] split(long split_size, long dim = 0)
    {
        if (split_size <= 0) throw new ArgumentOutOfRangeException(nameof(split_size), split_size, "split_size must be positive");
        long total = size(dim);
        var sizes = new List<long>();
        for (long start = 0; start < total; start += split_size) sizes.Add(Math.Min(split_size, total - start));
        if (sizes.Count == 0) sizes.Add(0);
        return split(sizes.ToArray(), dim);
    }

    /// <summary>Splits into pieces of the given sizes along dim; they must add up to the size of dim.</summary>
    public unsafe Tensor[] split(long[] split_sizes, long dim = 0)
    {
        var outs = new IntPtr[split_sizes.Length];
        fixed (long* s = split_sizes)
        fixed (IntPtr* p = outs)
        {
            Check(archdsl_split(Handle, s, split_sizes.Length, dim, p));
            return WrapAll(outs, outs.Length);
        }
    }

    private static Tensor[] WrapAll(IntPtr[] handles, int count)
    {
        var result = new Tensor[count];
        for (int i = 0; i < count; i++) result[i] = new Tensor(new TensorHandle(handles[i]));
        return result;
    }

    public Tensor index_select(long dim, Tensor index) => Wrap(archdsl_index_select(Handle, dim, index.Handle, out var r), r);
    public Tensor gather(long dim, Tensor index) => Wrap(archdsl_gather(Handle, dim, index.Handle, out var r), r);
    /// <summary>Out-of-place scatter: a copy of this tensor with <c>result[index[i][j]][j] = src[i][j]</c> (for dim 0).</summary>
    public Tensor scatter(long dim, Tensor index, Tensor src) => Wrap(archdsl_scatter(Handle, dim, index.Handle, src.Handle, out var r), r);
}
