using System;
using System.Runtime.InteropServices;

namespace ArchDsl.Runtime.Native;

/// <summary>The C ABI of libarchdsl_native.so (see archdsl_native.h). Functions return a status;
/// <see cref="Check"/> turns a failure into a <see cref="TorchException"/> with libtorch's message.</summary>
internal static unsafe partial class NativeMethods
{
    internal const string Library = "archdsl_native";

    // before the first call: a missing libtorch is reported with what to install (NativeLibraryErrors)
    static NativeMethods() => NativeLibrary.SetDllImportResolver(typeof(NativeMethods).Assembly, NativeLibraryErrors.Resolve);

    internal const int Empty = 0, Full = 1, Rand = 2, Randn = 3;

    internal enum Unary
    {
        Alias, Clone, Contiguous, Neg, Abs, Exp, Log, Sqrt, Rsqrt, Tanh, Sigmoid, Relu, Relu6,
        Gelu, GeluTanh, Silu, Hardswish, Hardsigmoid, Detach,
    }

    internal enum GradMode { Inference, NoGrad, Grad }

    internal enum Update { Mul, Add, AddCMul, AddCDiv }

    internal enum Binary { Add, Sub, Mul, Div, Pow, Maximum, Minimum, Eq, Ne, Lt, Le, Gt, Ge, RSub, RDiv, MatMul, Bmm }

    internal enum Reduce { Sum, Mean, Amax, Amin }

    internal enum ArgReduce { Argmax, Argmin }

    internal enum ShapeOp { Reshape, View, Expand, Repeat, Permute }

    internal enum Pool { Max, Avg }

    internal static void Check(int status)
    {
        if (status != 0) throw new TorchException(status, Marshal.PtrToStringUTF8(archdsl_last_error()) ?? "");
    }

    // runtime
    [LibraryImport(Library)] internal static partial IntPtr archdsl_last_error();
    [LibraryImport(Library)] internal static partial int archdsl_set_num_threads(int n);
    [LibraryImport(Library)] internal static partial int archdsl_set_blas_threads(int n, out int found);
    [LibraryImport(Library)] internal static partial int archdsl_get_blas_threads(out int n);
    [LibraryImport(Library)] internal static partial int archdsl_get_num_threads();
    [LibraryImport(Library)] internal static partial long archdsl_live_tensors();
    [LibraryImport(Library)] internal static partial int archdsl_manual_seed(ulong seed);
    [LibraryImport(Library)] internal static partial int archdsl_set_primitive_cache_capacity(int capacity, out int previous);

    // autograd
    [LibraryImport(Library)] internal static partial int archdsl_set_grad_mode(GradMode mode);
    [LibraryImport(Library)] internal static partial int archdsl_set_requires_grad(TensorHandle a, int requiresGrad);
    [LibraryImport(Library)] internal static partial int archdsl_autograd_flags(TensorHandle a, out int requiresGrad, out int isLeaf, out int isInference);
    [LibraryImport(Library)] internal static partial int archdsl_version(TensorHandle a, out long version);
    [LibraryImport(Library)] internal static partial int archdsl_backward(TensorHandle a, TensorHandle gradient);
    [LibraryImport(Library)] internal static partial int archdsl_grad(TensorHandle a, out TensorHandle result);
    [LibraryImport(Library)] internal static partial int archdsl_clear_grad(TensorHandle a);
    [LibraryImport(Library)] internal static partial int archdsl_update_(Update op, TensorHandle dst, TensorHandle a, TensorHandle b, double value);
    [LibraryImport(Library)] internal static partial int archdsl_cross_entropy(TensorHandle logits, TensorHandle target, double labelSmoothing, out TensorHandle result);

    // lifetime and creation
    [LibraryImport(Library)] internal static partial void archdsl_free(IntPtr t);
    [LibraryImport(Library)] internal static partial int archdsl_from_data(void* data, long nbytes, int dtype, long* shape, int ndim, out TensorHandle result);
    [LibraryImport(Library)] internal static partial int archdsl_factory(int kind, long* shape, int ndim, int dtype, NativeScalar value, long seed, out TensorHandle result);
    [LibraryImport(Library)] internal static partial int archdsl_arange(NativeScalar start, NativeScalar end, NativeScalar step, int dtype, out TensorHandle result);
    [LibraryImport(Library)] internal static partial int archdsl_to_dtype(TensorHandle a, int dtype, out TensorHandle result);
    [LibraryImport(Library)] internal static partial int archdsl_copy_(TensorHandle dst, TensorHandle src);
    [LibraryImport(Library)] internal static partial int archdsl_fill_(TensorHandle dst, NativeScalar value);

    // inspection
    [LibraryImport(Library)] internal static partial int archdsl_dim(TensorHandle a, out long result);
    [LibraryImport(Library)] internal static partial int archdsl_shape(TensorHandle a, long* buffer, long capacity);
    [LibraryImport(Library)] internal static partial int archdsl_dtype(TensorHandle a, out int result);
    [LibraryImport(Library)] internal static partial int archdsl_numel(TensorHandle a, out long result);
    [LibraryImport(Library)] internal static partial int archdsl_element_size(TensorHandle a, out long result);
    [LibraryImport(Library)] internal static partial int archdsl_is_contiguous(TensorHandle a, out int result);
    [LibraryImport(Library)] internal static partial int archdsl_data_ptr(TensorHandle a, out IntPtr result);
    [LibraryImport(Library)] internal static partial int archdsl_copy_to(TensorHandle a, void* buffer, long nbytes);

    // elementwise, reductions, comparisons
    [LibraryImport(Library)] internal static partial int archdsl_unary(Unary op, TensorHandle a, out TensorHandle result);
    [LibraryImport(Library)] internal static partial int archdsl_unary_(Unary op, TensorHandle a, out TensorHandle result);
    [LibraryImport(Library)] internal static partial int archdsl_binary(Binary op, TensorHandle a, TensorHandle b, out TensorHandle result);
    [LibraryImport(Library)] internal static partial int archdsl_binary_scalar(Binary op, TensorHandle a, NativeScalar b, out TensorHandle result);
    [LibraryImport(Library)] internal static partial int archdsl_reduce(Reduce op, TensorHandle a, long* dims, int ndims, int keepdim, out TensorHandle result);
    [LibraryImport(Library)] internal static partial int archdsl_arg_reduce(ArgReduce op, TensorHandle a, long dim, int hasDim, int keepdim, out TensorHandle result);
    [LibraryImport(Library)] internal static partial int archdsl_max_dim(TensorHandle a, long dim, int keepdim, out TensorHandle values, out TensorHandle indices);
    [LibraryImport(Library)] internal static partial int archdsl_softmax(TensorHandle a, long dim, int log, out TensorHandle result);
    [LibraryImport(Library)] internal static partial int archdsl_clamp(TensorHandle a, double* min, double* max, out TensorHandle result);
    [LibraryImport(Library)] internal static partial int archdsl_where(TensorHandle condition, TensorHandle a, TensorHandle b, out TensorHandle result);
    [LibraryImport(Library)] internal static partial int archdsl_masked_fill(TensorHandle a, TensorHandle mask, NativeScalar value, out TensorHandle result);
    [LibraryImport(Library)] internal static partial int archdsl_allclose(TensorHandle a, TensorHandle b, double rtol, double atol, int equalNan, out int result);
    [LibraryImport(Library)] internal static partial int archdsl_max_abs_diff(TensorHandle a, TensorHandle b, out double result);

    // shape
    [LibraryImport(Library)] internal static partial int archdsl_shape_op(ShapeOp op, TensorHandle a, long* sizes, int n, out TensorHandle result);
    [LibraryImport(Library)] internal static partial int archdsl_transpose(TensorHandle a, long dim0, long dim1, out TensorHandle result);
    [LibraryImport(Library)] internal static partial int archdsl_flatten(TensorHandle a, long startDim, long endDim, out TensorHandle result);
    [LibraryImport(Library)] internal static partial int archdsl_unsqueeze(TensorHandle a, long dim, out TensorHandle result);
    [LibraryImport(Library)] internal static partial int archdsl_squeeze(TensorHandle a, long dim, int hasDim, out TensorHandle result);
    [LibraryImport(Library)] internal static partial int archdsl_narrow(TensorHandle a, long dim, long start, long length, out TensorHandle result);
    [LibraryImport(Library)] internal static partial int archdsl_slice(TensorHandle a, long dim, long start, long end, long step, out TensorHandle result);
    [LibraryImport(Library)] internal static partial int archdsl_select(TensorHandle a, long dim, long index, out TensorHandle result);
    [LibraryImport(Library)] internal static partial int archdsl_roll(TensorHandle a, long* shifts, int nshifts, long* dims, int ndims, out TensorHandle result);
    [LibraryImport(Library)] internal static partial int archdsl_cat(IntPtr* tensors, int n, long dim, out TensorHandle result);
    [LibraryImport(Library)] internal static partial int archdsl_stack(IntPtr* tensors, int n, long dim, out TensorHandle result);
    [LibraryImport(Library)] internal static partial int archdsl_chunk(TensorHandle a, long chunks, long dim, IntPtr* outs, int capacity, out int count);
    [LibraryImport(Library)] internal static partial int archdsl_split(TensorHandle a, long* sizes, int n, long dim, IntPtr* outs);
    [LibraryImport(Library)] internal static partial int archdsl_index_select(TensorHandle a, long dim, TensorHandle index, out TensorHandle result);
    [LibraryImport(Library)] internal static partial int archdsl_gather(TensorHandle a, long dim, TensorHandle index, out TensorHandle result);
    [LibraryImport(Library)] internal static partial int archdsl_scatter(TensorHandle a, long dim, TensorHandle index, TensorHandle src, out TensorHandle result);
    [LibraryImport(Library)] internal static partial int archdsl_topk(TensorHandle a, long k, long dim, int largest, int sorted, out TensorHandle values, out TensorHandle indices);

    // neural-network ops
    [LibraryImport(Library)]
    internal static partial int archdsl_conv2d(TensorHandle input, TensorHandle weight, TensorHandle bias,
        long* stride, long* padding, long* dilation, long groups, out TensorHandle result);
    [LibraryImport(Library)]
    internal static partial int archdsl_conv2d_channels_last(TensorHandle input, TensorHandle weight, TensorHandle bias,
        long* stride, long* padding, long* dilation, long groups, out TensorHandle result);
    [LibraryImport(Library)]
    internal static partial int archdsl_conv_transpose2d(TensorHandle input, TensorHandle weight, TensorHandle bias,
        long* stride, long* padding, long* outputPadding, long* dilation, long groups, out TensorHandle result);
    [LibraryImport(Library)] internal static partial int archdsl_linear(TensorHandle input, TensorHandle weight, TensorHandle bias, out TensorHandle result);
    [LibraryImport(Library)] internal static partial int archdsl_conv1x1_onednn(TensorHandle input, TensorHandle weight, TensorHandle bias, out TensorHandle result);
    [LibraryImport(Library)] internal static partial int archdsl_linear_onednn(TensorHandle input, TensorHandle weight, TensorHandle bias, int activation, out TensorHandle result);
    [LibraryImport(Library)]
    internal static partial int archdsl_batch_norm(TensorHandle input, TensorHandle weight, TensorHandle bias,
        TensorHandle runningMean, TensorHandle runningVar, int training, double momentum, double eps, out TensorHandle result);
    [LibraryImport(Library)]
    internal static partial int archdsl_layer_norm(TensorHandle input, long* normalizedShape, int n,
        TensorHandle weight, TensorHandle bias, double eps, out TensorHandle result);
    [LibraryImport(Library)]
    internal static partial int archdsl_group_norm(TensorHandle input, long groups, TensorHandle weight, TensorHandle bias, double eps, out TensorHandle result);
    [LibraryImport(Library)]
    internal static partial int archdsl_pool2d(Pool op, TensorHandle input, long* kernel, long* stride, long* padding, long* dilation,
        int ceilMode, int countIncludePad, out TensorHandle result);
    [LibraryImport(Library)] internal static partial int archdsl_adaptive_avg_pool2d(TensorHandle input, long* outputSize, out TensorHandle result);
    [LibraryImport(Library)]
    internal static partial int archdsl_interpolate(TensorHandle input, int mode, long* size, double* scale, int alignCorners, out TensorHandle result);
    [LibraryImport(Library)] internal static partial int archdsl_normalize(TensorHandle input, double p, long dim, double eps, out TensorHandle result);
    [LibraryImport(Library)]
    internal static partial int archdsl_unfold(TensorHandle input, long* kernel, long* dilation, long* padding, long* stride, out TensorHandle result);
    [LibraryImport(Library)]
    internal static partial int archdsl_fold(TensorHandle input, long* outputSize, long* kernel, long* dilation, long* padding, long* stride, out TensorHandle result);
    [LibraryImport(Library)]
    internal static partial int archdsl_grid_sample(TensorHandle input, TensorHandle grid, int mode, int padding, int alignCorners, out TensorHandle result);
    [LibraryImport(Library)] internal static partial int archdsl_pad(TensorHandle input, long* pads, int n, double value, out TensorHandle result);
    [LibraryImport(Library)] internal static partial int archdsl_dropout(TensorHandle input, double p, int train, out TensorHandle result);
}
