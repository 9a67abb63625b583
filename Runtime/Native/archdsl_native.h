// C ABI of the ArchDsl native shim over libtorch (CPU; inference and training).
//
// Conventions
// - A tensor handle is an opaque pointer to a heap-allocated at::Tensor. Every function that
//   produces tensors writes new handles to out-parameters; the caller owns them and releases
//   each with archdsl_free. Inputs are never consumed.
// - Every function except archdsl_free, archdsl_last_error, archdsl_live_tensors and
//   archdsl_get_num_threads returns a status (ARCHDSL_OK or an error code). On error the out
//   handles are null and archdsl_last_error() returns the message of this thread's last failure.
// - Null handles, null out-pointers, negative counts and unsupported dtypes are rejected with
//   ARCHDSL_ERR_ARGUMENT; libtorch errors (c10::Error) come back with libtorch's own message.
// - dtype codes are c10::ScalarType values (6 = float32, 5 = float16, 15 = bfloat16, 4 = int64, ...).
// - 2-d parameters (stride, padding, ...) are int64_t[2] arrays in (height, width) order.
#ifndef ARCHDSL_NATIVE_H
#define ARCHDSL_NATIVE_H

#include <stdint.h>

#ifdef __cplusplus
#define ARCHDSL_API extern "C" __attribute__((visibility("default")))
#else
#define ARCHDSL_API __attribute__((visibility("default")))
#endif

typedef void* archdsl_tensor;

// A number passed to libtorch as at::Scalar: integral when is_int != 0 (keeps int64 tensors int64).
typedef struct {
    double f;
    int64_t i;
    int32_t is_int;
} archdsl_scalar;

enum archdsl_status {
    ARCHDSL_OK = 0,
    ARCHDSL_ERR_TORCH = 1,     // c10::Error raised by libtorch
    ARCHDSL_ERR_STD = 2,       // other std::exception (e.g. std::bad_alloc)
    ARCHDSL_ERR_UNKNOWN = 3,   // anything else thrown
    ARCHDSL_ERR_ARGUMENT = 4,  // rejected by the shim before reaching libtorch
};

enum archdsl_factory_kind { ARCHDSL_EMPTY = 0, ARCHDSL_FULL = 1, ARCHDSL_RAND = 2, ARCHDSL_RANDN = 3 };

enum archdsl_unary_op {
    ARCHDSL_ALIAS = 0, ARCHDSL_CLONE = 1, ARCHDSL_CONTIGUOUS = 2,
    ARCHDSL_NEG = 3, ARCHDSL_ABS = 4, ARCHDSL_EXP = 5, ARCHDSL_LOG = 6, ARCHDSL_SQRT = 7, ARCHDSL_RSQRT = 8,
    ARCHDSL_TANH = 9, ARCHDSL_SIGMOID = 10, ARCHDSL_RELU = 11, ARCHDSL_RELU6 = 12,
    ARCHDSL_GELU = 13, ARCHDSL_GELU_TANH = 14, ARCHDSL_SILU = 15, ARCHDSL_HARDSWISH = 16, ARCHDSL_HARDSIGMOID = 17,
    ARCHDSL_DETACH = 18,
};

// Grad mode of the calling thread, applied to every later call from it: INFERENCE runs under c10::InferenceMode
// (fastest; its results are inference tensors that autograd cannot use), NO_GRAD records no graph, GRAD (the
// default) records one for tensors that require grad.
enum archdsl_grad_mode { ARCHDSL_INFERENCE = 0, ARCHDSL_NO_GRAD = 1, ARCHDSL_GRAD = 2 };

// In-place updates for optimizers: MUL_ d *= value; ADD_ d += value·a; ADDCMUL_ d += value·a·b; ADDCDIV_ d += value·a/b
enum archdsl_update_op { ARCHDSL_MUL_ = 0, ARCHDSL_ADD_ = 1, ARCHDSL_ADDCMUL_ = 2, ARCHDSL_ADDCDIV_ = 3 };

// Elementwise ops broadcast. RSUB and RDIV (scalar - a, scalar / a) exist only with a scalar;
// MATMUL and BMM only with two tensors.
enum archdsl_binary_op {
    ARCHDSL_ADD = 0, ARCHDSL_SUB = 1, ARCHDSL_MUL = 2, ARCHDSL_DIV = 3, ARCHDSL_POW = 4,
    ARCHDSL_MAXIMUM = 5, ARCHDSL_MINIMUM = 6,
    ARCHDSL_EQ = 7, ARCHDSL_NE = 8, ARCHDSL_LT = 9, ARCHDSL_LE = 10, ARCHDSL_GT = 11, ARCHDSL_GE = 12,
    ARCHDSL_RSUB = 13, ARCHDSL_RDIV = 14,
    ARCHDSL_MATMUL = 15, ARCHDSL_BMM = 16,
};

enum archdsl_reduce_op { ARCHDSL_SUM = 0, ARCHDSL_MEAN = 1, ARCHDSL_AMAX = 2, ARCHDSL_AMIN = 3 };
enum archdsl_arg_reduce_op { ARCHDSL_ARGMAX = 0, ARCHDSL_ARGMIN = 1 };
enum archdsl_shape_op { ARCHDSL_RESHAPE = 0, ARCHDSL_VIEW = 1, ARCHDSL_EXPAND = 2, ARCHDSL_REPEAT = 3, ARCHDSL_PERMUTE = 4 };
enum archdsl_pool_op { ARCHDSL_MAX_POOL = 0, ARCHDSL_AVG_POOL = 1 };
enum archdsl_interp_mode { ARCHDSL_NEAREST = 0, ARCHDSL_BILINEAR = 1 };

// runtime
ARCHDSL_API const char* archdsl_last_error(void);
ARCHDSL_API int archdsl_set_num_threads(int32_t n);  // applies to every thread that calls into the shim
// OpenBLAS's own thread pool (Debian's libtorch calls the system BLAS for linear layers and matmuls, and libtorch's
// thread count does not reach it: with one libtorch thread a 2048x2048 matmul measured 63 GMAC/s on a 2-core machine,
// 40 with one OpenBLAS thread, and its idle workers spin in sched_yield). found: 0 when no OpenBLAS is loaded.
ARCHDSL_API int archdsl_set_blas_threads(int32_t n, int32_t* found);
ARCHDSL_API int archdsl_get_blas_threads(int32_t* n);  // -1 when no OpenBLAS is loaded
ARCHDSL_API int32_t archdsl_get_num_threads(void);
ARCHDSL_API int64_t archdsl_live_tensors(void);      // handles created and not yet freed
ARCHDSL_API int archdsl_manual_seed(uint64_t seed);  // seeds libtorch's default CPU generator
// oneDNN's process-wide primitive cache (entries): returns the previous capacity in *previous
ARCHDSL_API int archdsl_set_primitive_cache_capacity(int32_t capacity, int32_t* previous);

// autograd
ARCHDSL_API int archdsl_set_grad_mode(int32_t mode);
ARCHDSL_API int archdsl_set_requires_grad(archdsl_tensor a, int32_t requires_grad);
ARCHDSL_API int archdsl_autograd_flags(archdsl_tensor a, int32_t* requires_grad, int32_t* is_leaf, int32_t* is_inference);
// the version counter that in-place changes increment (-1 for an inference tensor, which has none)
ARCHDSL_API int archdsl_version(archdsl_tensor a, int64_t* out);
ARCHDSL_API int archdsl_backward(archdsl_tensor a, archdsl_tensor gradient);  // gradient may be null for a scalar
ARCHDSL_API int archdsl_grad(archdsl_tensor a, archdsl_tensor* out);  // null handle when there is no gradient
ARCHDSL_API int archdsl_clear_grad(archdsl_tensor a);                 // the gradient becomes None
ARCHDSL_API int archdsl_update_(int32_t op, archdsl_tensor dst, archdsl_tensor a, archdsl_tensor b, double value);  // a, b may be null when unused
// mean cross-entropy of logits [N, C] against int64 class indices [N], with label smoothing in [0, 1]
ARCHDSL_API int archdsl_cross_entropy(archdsl_tensor logits, archdsl_tensor target, double label_smoothing, archdsl_tensor* out);

// lifetime and creation
ARCHDSL_API void archdsl_free(archdsl_tensor t);
ARCHDSL_API int archdsl_from_data(const void* data, int64_t nbytes, int32_t dtype, const int64_t* shape, int32_t ndim, archdsl_tensor* out);
// seed < 0 draws from the default generator; otherwise from a private generator seeded with it.
ARCHDSL_API int archdsl_factory(int32_t kind, const int64_t* shape, int32_t ndim, int32_t dtype, archdsl_scalar value, int64_t seed, archdsl_tensor* out);
ARCHDSL_API int archdsl_arange(archdsl_scalar start, archdsl_scalar end, archdsl_scalar step, int32_t dtype, archdsl_tensor* out);
ARCHDSL_API int archdsl_to_dtype(archdsl_tensor a, int32_t dtype, archdsl_tensor* out);
ARCHDSL_API int archdsl_copy_(archdsl_tensor dst, archdsl_tensor src);
ARCHDSL_API int archdsl_fill_(archdsl_tensor dst, archdsl_scalar value);

// inspection
ARCHDSL_API int archdsl_dim(archdsl_tensor a, int64_t* out);
ARCHDSL_API int archdsl_shape(archdsl_tensor a, int64_t* buffer, int64_t capacity);  // capacity must be >= dim
ARCHDSL_API int archdsl_dtype(archdsl_tensor a, int32_t* out);
ARCHDSL_API int archdsl_numel(archdsl_tensor a, int64_t* out);
ARCHDSL_API int archdsl_element_size(archdsl_tensor a, int64_t* out);
ARCHDSL_API int archdsl_is_contiguous(archdsl_tensor a, int32_t* out);
ARCHDSL_API int archdsl_data_ptr(archdsl_tensor a, void** out);  // contiguous tensors only; valid while a lives
ARCHDSL_API int archdsl_copy_to(archdsl_tensor a, void* buffer, int64_t nbytes);  // nbytes must be numel * element size

// elementwise, reductions, comparisons
ARCHDSL_API int archdsl_unary(int32_t op, archdsl_tensor a, archdsl_tensor* out);
// The activations (TANH … HARDSIGMOID) in place: a is overwritten, out is a new handle to it.
ARCHDSL_API int archdsl_unary_(int32_t op, archdsl_tensor a, archdsl_tensor* out);
ARCHDSL_API int archdsl_binary(int32_t op, archdsl_tensor a, archdsl_tensor b, archdsl_tensor* out);
ARCHDSL_API int archdsl_binary_scalar(int32_t op, archdsl_tensor a, archdsl_scalar b, archdsl_tensor* out);
ARCHDSL_API int archdsl_reduce(int32_t op, archdsl_tensor a, const int64_t* dims, int32_t ndims, int32_t keepdim, archdsl_tensor* out);  // ndims == 0: all
ARCHDSL_API int archdsl_arg_reduce(int32_t op, archdsl_tensor a, int64_t dim, int32_t has_dim, int32_t keepdim, archdsl_tensor* out);
ARCHDSL_API int archdsl_max_dim(archdsl_tensor a, int64_t dim, int32_t keepdim, archdsl_tensor* values, archdsl_tensor* indices);
ARCHDSL_API int archdsl_softmax(archdsl_tensor a, int64_t dim, int32_t log, archdsl_tensor* out);
ARCHDSL_API int archdsl_clamp(archdsl_tensor a, const double* min, const double* max, archdsl_tensor* out);  // null bound: unbounded
ARCHDSL_API int archdsl_where(archdsl_tensor condition, archdsl_tensor a, archdsl_tensor b, archdsl_tensor* out);
ARCHDSL_API int archdsl_masked_fill(archdsl_tensor a, archdsl_tensor mask, archdsl_scalar value, archdsl_tensor* out);
ARCHDSL_API int archdsl_allclose(archdsl_tensor a, archdsl_tensor b, double rtol, double atol, int32_t equal_nan, int32_t* out);
ARCHDSL_API int archdsl_max_abs_diff(archdsl_tensor a, archdsl_tensor b, double* out);  // same shapes; 0 when empty

// shape
ARCHDSL_API int archdsl_shape_op(int32_t op, archdsl_tensor a, const int64_t* sizes, int32_t n, archdsl_tensor* out);
ARCHDSL_API int archdsl_transpose(archdsl_tensor a, int64_t dim0, int64_t dim1, archdsl_tensor* out);
ARCHDSL_API int archdsl_flatten(archdsl_tensor a, int64_t start_dim, int64_t end_dim, archdsl_tensor* out);
ARCHDSL_API int archdsl_unsqueeze(archdsl_tensor a, int64_t dim, archdsl_tensor* out);
ARCHDSL_API int archdsl_squeeze(archdsl_tensor a, int64_t dim, int32_t has_dim, archdsl_tensor* out);
ARCHDSL_API int archdsl_narrow(archdsl_tensor a, int64_t dim, int64_t start, int64_t length, archdsl_tensor* out);
ARCHDSL_API int archdsl_slice(archdsl_tensor a, int64_t dim, int64_t start, int64_t end, int64_t step, archdsl_tensor* out);
ARCHDSL_API int archdsl_select(archdsl_tensor a, int64_t dim, int64_t index, archdsl_tensor* out);
ARCHDSL_API int archdsl_roll(archdsl_tensor a, const int64_t* shifts, int32_t nshifts, const int64_t* dims, int32_t ndims, archdsl_tensor* out);
ARCHDSL_API int archdsl_cat(const archdsl_tensor* tensors, int32_t n, int64_t dim, archdsl_tensor* out);
ARCHDSL_API int archdsl_stack(const archdsl_tensor* tensors, int32_t n, int64_t dim, archdsl_tensor* out);
ARCHDSL_API int archdsl_chunk(archdsl_tensor a, int64_t chunks, int64_t dim, archdsl_tensor* outs, int32_t capacity, int32_t* count);
ARCHDSL_API int archdsl_split(archdsl_tensor a, const int64_t* sizes, int32_t n, int64_t dim, archdsl_tensor* outs);  // writes n handles
ARCHDSL_API int archdsl_index_select(archdsl_tensor a, int64_t dim, archdsl_tensor index, archdsl_tensor* out);
ARCHDSL_API int archdsl_gather(archdsl_tensor a, int64_t dim, archdsl_tensor index, archdsl_tensor* out);
ARCHDSL_API int archdsl_scatter(archdsl_tensor a, int64_t dim, archdsl_tensor index, archdsl_tensor src, archdsl_tensor* out);
// the k largest (or smallest) values along dim and their indices, sorted when sorted != 0
ARCHDSL_API int archdsl_topk(archdsl_tensor a, int64_t k, int64_t dim, int32_t largest, int32_t sorted, archdsl_tensor* values, archdsl_tensor* indices);

// neural-network ops (bias, weight and running statistics may be null)
ARCHDSL_API int archdsl_conv2d(archdsl_tensor input, archdsl_tensor weight, archdsl_tensor bias,
                               const int64_t* stride, const int64_t* padding, const int64_t* dilation, int64_t groups, archdsl_tensor* out);
// The inference plan's convolution: oneDNN on a channels-last map (the input is converted when it is not), giving a
// channels-last result; float32, no autograd. libtorch's conv2d would choose its single-threaded GEMM path for 1x1
// kernels, which measured 1.3-1.8x slower than this on CAS-ViT's shapes.
ARCHDSL_API int archdsl_conv2d_channels_last(archdsl_tensor input, archdsl_tensor weight, archdsl_tensor bias,
                                             const int64_t* stride, const int64_t* padding, const int64_t* dilation, int64_t groups,
                                             archdsl_tensor* out);
ARCHDSL_API int archdsl_conv_transpose2d(archdsl_tensor input, archdsl_tensor weight, archdsl_tensor bias,
                                         const int64_t* stride, const int64_t* padding, const int64_t* output_padding,
                                         const int64_t* dilation, int64_t groups, archdsl_tensor* out);
ARCHDSL_API int archdsl_linear(archdsl_tensor input, archdsl_tensor weight, archdsl_tensor bias, archdsl_tensor* out);
// The inference plan's linear layer: oneDNN's matmul on the input's rows, reading the weight in place (no reorder);
// float32 (other types go to at::linear), no autograd. On this 2-core machine it took 0.36-0.94x at::linear's time
// (OpenBLAS) on each of LightViT-T's 33 linear shapes at batch 1, one thread.
// activation: -1, or the unary op code (ARCHDSL_GELU, ...) of an activation oneDNN applies to the result as a post-op
// (GELU, GELU tanh, ReLU, ReLU6, SiLU, sigmoid, tanh, hardswish).
ARCHDSL_API int archdsl_linear_onednn(archdsl_tensor input, archdsl_tensor weight, archdsl_tensor bias, int32_t activation,
                                      archdsl_tensor* out);
// The inference plan's 1x1 convolution (stride 1, no padding, no groups) of a map made channels-last: the same matmul
// over its pixels, giving a channels-last result.
ARCHDSL_API int archdsl_conv1x1_onednn(archdsl_tensor input, archdsl_tensor weight, archdsl_tensor bias, archdsl_tensor* out);
ARCHDSL_API int archdsl_batch_norm(archdsl_tensor input, archdsl_tensor weight, archdsl_tensor bias,
                                   archdsl_tensor running_mean, archdsl_tensor running_var,
                                   int32_t training, double momentum, double eps, archdsl_tensor* out);
ARCHDSL_API int archdsl_layer_norm(archdsl_tensor input, const int64_t* normalized_shape, int32_t n,
                                   archdsl_tensor weight, archdsl_tensor bias, double eps, archdsl_tensor* out);
ARCHDSL_API int archdsl_group_norm(archdsl_tensor input, int64_t groups, archdsl_tensor weight, archdsl_tensor bias, double eps, archdsl_tensor* out);
// stride, padding, dilation: int64_t[2]; dilation is ignored by average pooling.
ARCHDSL_API int archdsl_pool2d(int32_t op, archdsl_tensor input, const int64_t* kernel, const int64_t* stride, const int64_t* padding,
                               const int64_t* dilation, int32_t ceil_mode, int32_t count_include_pad, archdsl_tensor* out);
ARCHDSL_API int archdsl_adaptive_avg_pool2d(archdsl_tensor input, const int64_t* output_size, archdsl_tensor* out);
// Exactly one of size (int64_t[2]) and scale (double[2]) is non-null; align_corners: -1 unset, 0, 1 (bilinear only).
ARCHDSL_API int archdsl_interpolate(archdsl_tensor input, int32_t mode, const int64_t* size, const double* scale,
                                    int32_t align_corners, archdsl_tensor* out);
ARCHDSL_API int archdsl_normalize(archdsl_tensor input, double p, int64_t dim, double eps, archdsl_tensor* out);
ARCHDSL_API int archdsl_pad(archdsl_tensor input, const int64_t* pads, int32_t n, double value, archdsl_tensor* out);
// F.unfold / F.fold (im2col / col2im) of 4-d maps; kernel, dilation, padding, stride, output_size: int64_t[2]
ARCHDSL_API int archdsl_unfold(archdsl_tensor input, const int64_t* kernel, const int64_t* dilation, const int64_t* padding,
                               const int64_t* stride, archdsl_tensor* out);
ARCHDSL_API int archdsl_fold(archdsl_tensor input, const int64_t* output_size, const int64_t* kernel, const int64_t* dilation,
                             const int64_t* padding, const int64_t* stride, archdsl_tensor* out);
// F.grid_sample of a 4-d map at grid [N, H, W, 2] (x, y in [-1, 1]); mode: ARCHDSL_NEAREST / ARCHDSL_BILINEAR;
// padding: 0 zeros, 1 border, 2 reflection
ARCHDSL_API int archdsl_grid_sample(archdsl_tensor input, archdsl_tensor grid, int32_t mode, int32_t padding, int32_t align_corners,
                                    archdsl_tensor* out);
ARCHDSL_API int archdsl_dropout(archdsl_tensor input, double p, int32_t train, archdsl_tensor* out);  // identity unless train

#endif
