using System;
using System.Runtime.InteropServices;
using System.Threading;
using Xunit;

namespace ArchDsl.Tests.Runtime;

/// <summary>The shim seen as a C caller sees it: arguments the managed API never sends (null handles and
/// arrays, negative counts, unknown codes) are rejected with status 4 and a message, not dereferenced.</summary>
public sealed class NativeAbiTests
{
    private const string Library = "archdsl_native";
    private const int ArgumentRejected = 4;
    private const int Float32 = 6;

    [StructLayout(LayoutKind.Sequential)]
    private struct Scalar
    {
        public double F;
        public long I;
        public int IsInt;
    }

    [DllImport(Library)] private static extern IntPtr archdsl_last_error();
    [DllImport(Library)] private static extern void archdsl_free(IntPtr t);
    [DllImport(Library)] private static extern int archdsl_dim(IntPtr a, out long result);
    [DllImport(Library)] private static extern int archdsl_unary(int op, IntPtr a, out IntPtr result);
    [DllImport(Library)] private static extern int archdsl_binary_scalar(int op, IntPtr a, Scalar b, out IntPtr result);
    [DllImport(Library)] private static extern int archdsl_copy_(IntPtr dst, IntPtr src);
    [DllImport(Library)] private static extern int archdsl_factory(int kind, long[]? shape, int ndim, int dtype, Scalar value, long seed, out IntPtr result);
    [DllImport(Library)] private static extern int archdsl_shape(IntPtr a, long[] buffer, long capacity);
    [DllImport(Library)] private static extern int archdsl_cat(IntPtr[] tensors, int n, long dim, out IntPtr result);
    [DllImport(Library)] private static extern int archdsl_conv2d(IntPtr input, IntPtr weight, IntPtr bias, long[]? stride, long[]? padding, long[]? dilation, long groups, out IntPtr result);

    [DllImport(Library)] private static extern int archdsl_set_primitive_cache_capacity(int capacity, out int previous);
    [DllImport(Library)] private static extern int archdsl_set_grad_mode(int mode);
    [DllImport(Library)] private static extern int archdsl_backward(IntPtr a, IntPtr gradient);
    [DllImport(Library)] private static extern int archdsl_update_(int op, IntPtr dst, IntPtr a, IntPtr b, double value);

    private static string LastError() => Marshal.PtrToStringUTF8(archdsl_last_error()) ?? "";

    [Fact]
    public void Null_handles_are_rejected()
    {
        Assert.Equal(ArgumentRejected, archdsl_unary(11, IntPtr.Zero, out var result));
        Assert.Equal(IntPtr.Zero, result);
        Assert.Equal("tensor handle is null", LastError());
        Assert.Equal(ArgumentRejected, archdsl_dim(IntPtr.Zero, out _));
        Assert.Equal(ArgumentRejected, archdsl_copy_(IntPtr.Zero, IntPtr.Zero));
        Assert.Contains("destination", LastError());
        Assert.Equal(ArgumentRejected, archdsl_cat([IntPtr.Zero], 1, 0, out _));
        Assert.Contains("null handle", LastError());
        archdsl_free(IntPtr.Zero); // freeing null is a no-op
    }

    [Fact]
    public void A_negative_primitive_cache_capacity_is_rejected()
    {
        Assert.Equal(ArgumentRejected, archdsl_set_primitive_cache_capacity(-1, out _));
        Assert.Contains("non-negative", LastError());
    }

    [Fact]
    public void Negative_counts_null_arrays_and_unknown_codes_are_rejected()
    {
        Assert.Equal(ArgumentRejected, archdsl_factory(1, null, -1, Float32, default, -1, out _));
        Assert.Contains("negative rank", LastError());
        Assert.Equal(ArgumentRejected, archdsl_factory(1, null, 2, Float32, default, -1, out _));
        Assert.Equal(ArgumentRejected, archdsl_factory(99, null, 0, Float32, default, -1, out _));
        Assert.Contains("unknown factory kind 99", LastError());
        Assert.Equal(ArgumentRejected, archdsl_factory(1, [2], 1, 99, default, -1, out _));
        Assert.Contains("unsupported dtype code 99", LastError());

        Assert.Equal(0, archdsl_factory(1, [2, 3], 2, Float32, new Scalar { F = 1 }, -1, out var handle));
        try
        {
            Assert.Equal(0, archdsl_dim(handle, out long rank));
            Assert.Equal(2, rank);
            Assert.Equal(ArgumentRejected, archdsl_unary(99, handle, out _));
            Assert.Contains("unknown unary op code 99", LastError());
            Assert.Equal(ArgumentRejected, archdsl_shape(handle, new long[1], 1));
            Assert.Contains("too small", LastError());
            Assert.Equal(ArgumentRejected, archdsl_conv2d(handle, handle, IntPtr.Zero, [1, 1], [0, 0], null, 1, out _));
            Assert.Contains("dilation is null", LastError());
            Assert.Equal(ArgumentRejected, archdsl_binary_scalar(15, handle, new Scalar { F = 1 }, out _)); // matmul needs two tensors
            Assert.Equal(ArgumentRejected, archdsl_set_grad_mode(7));
            Assert.Contains("unknown grad mode", LastError());
            Assert.Equal(ArgumentRejected, archdsl_backward(handle, IntPtr.Zero));
            Assert.Contains("does not require grad", LastError());
            Assert.Equal(ArgumentRejected, archdsl_update_(9, handle, handle, handle, 1.0));
            Assert.Contains("unknown in-place update code 9", LastError());
            Assert.Equal(ArgumentRejected, archdsl_update_(1, handle, IntPtr.Zero, IntPtr.Zero, 1.0));   // add_ needs a tensor
        }
        finally
        {
            archdsl_free(handle);
        }
    }

    [Fact]
    public void Errors_are_kept_per_thread()
    {
        archdsl_dim(IntPtr.Zero, out _);
        string other = "";
        var thread = new Thread(() =>
        {
            archdsl_factory(98, null, 0, Float32, default, -1, out _);
            other = LastError();
        });
        thread.Start();
        thread.Join();
        Assert.Contains("unknown factory kind 98", other);
        Assert.Equal("tensor handle is null", LastError());
    }
}
