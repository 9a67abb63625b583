// The ArchDsl native shim: every entry point validates its arguments, runs the libtorch call under
// the calling thread's grad mode (see archdsl_set_grad_mode) and turns any exception into a status
// code plus a thread-local message, so no failure can unwind into managed code or abort the process. One translation unit on purpose:
// parsing the ATen headers dominates the build time.
#include "archdsl_native.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>
#include <c10/core/GradMode.h>
#include <c10/core/InferenceMode.h>

#include <dlfcn.h>
#include <malloc.h>
#include <oneapi/dnnl/dnnl.hpp>

#include <atomic>
#include <cstring>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

namespace {

// libtorch allocates every activation with malloc. glibc serves large blocks with mmap and returns them with munmap,
// so each forward pass page-faults its activations in again: measured on CAS-ViT at 224, 7.5 s of 18 s was system
// time, and batch-1 latency of XS dropped from 45 to 25 ms with these two settings. Keeping freed blocks in the heap
// (up to 1 GiB per block) makes memory peak once and be reused, like PyTorch's caching allocators.
__attribute__((constructor)) void keep_freed_activations_in_the_heap() {
    mallopt(M_MMAP_THRESHOLD, 1 << 30);
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
}


thread_local std::string last_error;
// Set by the managed grad-mode scopes; every call runs under it (libtorch's own modes are thread-local too, but
// re-applying ours per call keeps the shim independent of whatever a previous call left behind).
thread_local int32_t grad_mode = ARCHDSL_GRAD;
std::atomic<int64_t> live_tensors{0};

// OpenMP keeps the thread count per calling thread, so the requested count is re-applied lazily
// on every thread that enters the shim after a change.
std::atomic<int32_t> requested_threads{0};
std::atomic<uint64_t> threads_generation{0};
thread_local uint64_t applied_generation = 0;

struct ArgumentError : std::invalid_argument {
    using std::invalid_argument::invalid_argument;
};

void require(bool condition, const char* message) {
    if (!condition) throw ArgumentError(message);
}

void apply_thread_count() {
    uint64_t generation = threads_generation.load(std::memory_order_acquire);
    if (generation != applied_generation) {
        applied_generation = generation;
        at::set_num_threads(requested_threads.load());
    }
}

int fail(int status, const char* message) noexcept {
    try {
        last_error = message;
    } catch (...) {
        // the message could not be stored; the status still reports the failure
    }
    return status;
}

template <class Body>
int guarded(Body&& body) noexcept {
    try {
        apply_thread_count();
        if (grad_mode == ARCHDSL_INFERENCE) {
            c10::InferenceMode inference;
            body();
        } else {
            c10::AutoGradMode autograd(grad_mode == ARCHDSL_GRAD);
            body();
        }
        return ARCHDSL_OK;
    } catch (const ArgumentError& e) {
        return fail(ARCHDSL_ERR_ARGUMENT, e.what());
    } catch (const c10::Error& e) {
        return fail(ARCHDSL_ERR_TORCH, e.what_without_backtrace());
    } catch (const std::exception& e) {
        return fail(ARCHDSL_ERR_STD, e.what());
    } catch (...) {
        return fail(ARCHDSL_ERR_UNKNOWN, "unknown native exception");
    }
}

const at::Tensor& tensor(archdsl_tensor handle, const char* what = "tensor handle is null") {
    require(handle != nullptr, what);
    auto& t = *static_cast<at::Tensor*>(handle);
    require(t.defined(), "tensor handle refers to an undefined tensor");
    return t;
}

c10::optional<at::Tensor> optional_tensor(archdsl_tensor handle) {
    if (handle == nullptr) return c10::nullopt;
    return tensor(handle);
}

at::IntArrayRef ints(const int64_t* values, int64_t n, const char* what) {
    require(n >= 0, what);
    require(n == 0 || values != nullptr, what);
    return at::IntArrayRef(values, static_cast<size_t>(n));
}

at::IntArrayRef pair(const int64_t* values, const char* what) {
    require(values != nullptr, what);
    return at::IntArrayRef(values, 2);
}

at::ScalarType dtype(int32_t code) {
    switch (static_cast<at::ScalarType>(code)) {
        case at::kFloat: case at::kHalf: case at::kBFloat16: case at::kDouble:
        case at::kLong: case at::kInt: case at::kShort: case at::kChar: case at::kByte: case at::kBool:
            return static_cast<at::ScalarType>(code);
        default:
            throw ArgumentError("unsupported dtype code " + std::to_string(code));
    }
}

at::Scalar scalar(const archdsl_scalar& s) { return s.is_int ? at::Scalar(s.i) : at::Scalar(s.f); }

template <class T>
T* out_ptr(T* out) {
    require(out != nullptr, "output pointer is null");
    return out;
}

void emit(archdsl_tensor* out, at::Tensor result) {
    *out = new at::Tensor(std::move(result));
    live_tensors.fetch_add(1, std::memory_order_relaxed);
}

// Writes several results only once all of them are allocated, so a failure leaks nothing.
void emit_all(archdsl_tensor* outs, std::vector<at::Tensor> results) {
    std::vector<std::unique_ptr<at::Tensor>> owned;
    owned.reserve(results.size());
    for (auto& r : results) owned.push_back(std::make_unique<at::Tensor>(std::move(r)));
    for (size_t i = 0; i < owned.size(); ++i) outs[i] = owned[i].release();
    live_tensors.fetch_add(static_cast<int64_t>(owned.size()), std::memory_order_relaxed);
}

std::vector<at::Tensor> tensor_list(const archdsl_tensor* handles, int32_t n) {
    require(n >= 0 && (n == 0 || handles != nullptr), "tensor list is null or has a negative length");
    std::vector<at::Tensor> list;
    list.reserve(static_cast<size_t>(n));
    for (int32_t i = 0; i < n; ++i) list.push_back(tensor(handles[i], "tensor list contains a null handle"));
    return list;
}

std::vector<int64_t> all_dims(const at::Tensor& t) {
    std::vector<int64_t> dims(static_cast<size_t>(t.dim()));
    for (size_t i = 0; i < dims.size(); ++i) dims[i] = static_cast<int64_t>(i);
    return dims;
}

at::Tensor binary_with_scalar(int32_t op, const at::Tensor& a, const at::Scalar& s) {
    switch (op) {
        case ARCHDSL_ADD: return at::add(a, s);
        case ARCHDSL_SUB: return at::sub(a, s);
        case ARCHDSL_MUL: return at::mul(a, s);
        case ARCHDSL_DIV: return at::div(a, s);
        case ARCHDSL_POW: return at::pow(a, s);
        case ARCHDSL_MAXIMUM: return at::clamp_min(a, s);
        case ARCHDSL_MINIMUM: return at::clamp_max(a, s);
        case ARCHDSL_EQ: return at::eq(a, s);
        case ARCHDSL_NE: return at::ne(a, s);
        case ARCHDSL_LT: return at::lt(a, s);
        case ARCHDSL_LE: return at::le(a, s);
        case ARCHDSL_GT: return at::gt(a, s);
        case ARCHDSL_GE: return at::ge(a, s);
        case ARCHDSL_RSUB: return at::rsub(a, s);
        case ARCHDSL_RDIV: {
            // a 0-dim tensor takes part in type promotion like a Python number would
            auto numerator = at::scalar_tensor(s, a.options().dtype(s.isIntegral(false) ? at::kLong : at::kDouble));
            return at::div(numerator, a);
        }
        default: throw ArgumentError("unknown tensor-scalar op code " + std::to_string(op));
    }
}

}  // namespace

// ---- runtime ---------------------------------------------------------------------------------

ARCHDSL_API const char* archdsl_last_error(void) { return last_error.c_str(); }

ARCHDSL_API int archdsl_set_num_threads(int32_t n) {
    return guarded([&] {
        require(n > 0, "number of threads must be positive");
        requested_threads.store(n);
        threads_generation.fetch_add(1, std::memory_order_release);
        apply_thread_count();
    });
}

// A function of the loaded OpenBLAS (Debian's libblas.so.3 alternative, or OpenBLAS by its own name), or null.
static void* openblas_function(const char* symbol) {
    for (const char* name : {"libblas.so.3", "libopenblas.so.0"}) {
        void* library = dlopen(name, RTLD_LAZY | RTLD_NOLOAD);
        if (library == nullptr) continue;
        void* function = dlsym(library, symbol);
        dlclose(library);  // NOLOAD took a reference to a library libtorch keeps loaded
        if (function != nullptr) return function;
    }
    return nullptr;
}

ARCHDSL_API int archdsl_set_blas_threads(int32_t n, int32_t* found) {
    return guarded([&] {
        require(n > 0, "number of threads must be positive");
        auto set = reinterpret_cast<void (*)(int)>(openblas_function("openblas_set_num_threads"));
        if (set != nullptr) set(n);
        *out_ptr(found) = set != nullptr ? 1 : 0;
    });
}

ARCHDSL_API int archdsl_get_blas_threads(int32_t* n) {
    return guarded([&] {
        auto get = reinterpret_cast<int (*)()>(openblas_function("openblas_get_num_threads"));
        *out_ptr(n) = get != nullptr ? get() : -1;
    });
}

ARCHDSL_API int32_t archdsl_get_num_threads(void) {
    int32_t n = 1;
    guarded([&] { n = at::get_num_threads(); });
    return n;
}

ARCHDSL_API int64_t archdsl_live_tensors(void) { return live_tensors.load(); }

ARCHDSL_API int archdsl_manual_seed(uint64_t seed) {
    return guarded([&] {
        auto generator = at::detail::getDefaultCPUGenerator();
        std::lock_guard<std::mutex> lock(generator.mutex());
        generator.set_current_seed(seed);
    });
}

// ---- autograd -------------------------------------------------------------------------------

ARCHDSL_API int archdsl_set_grad_mode(int32_t mode) {
    return guarded([&] {
        require(mode == ARCHDSL_INFERENCE || mode == ARCHDSL_NO_GRAD || mode == ARCHDSL_GRAD, "unknown grad mode");
        grad_mode = mode;
    });
}

ARCHDSL_API int archdsl_set_requires_grad(archdsl_tensor a, int32_t requires_grad) {
    return guarded([&] { const_cast<at::Tensor&>(tensor(a)).requires_grad_(requires_grad != 0); });
}

ARCHDSL_API int archdsl_autograd_flags(archdsl_tensor a, int32_t* requires_grad, int32_t* is_leaf, int32_t* is_inference) {
    return guarded([&] {
        const auto& t = tensor(a);
        *out_ptr(requires_grad) = t.requires_grad() ? 1 : 0;
        *out_ptr(is_leaf) = t.is_leaf() ? 1 : 0;
        *out_ptr(is_inference) = t.is_inference() ? 1 : 0;
    });
}

ARCHDSL_API int archdsl_version(archdsl_tensor a, int64_t* out) {
    return guarded([&] {
        const auto& t = tensor(a);
        *out_ptr(out) = t.is_inference() ? -1 : static_cast<int64_t>(t._version());
    });
}

ARCHDSL_API int archdsl_backward(archdsl_tensor a, archdsl_tensor gradient) {
    return guarded([&] {
        const auto& t = tensor(a);
        require(t.requires_grad(), "backward of a tensor that does not require grad (no parameter took part, or it was computed under no_grad / inference mode)");
        t.backward(gradient == nullptr ? at::Tensor() : tensor(gradient));
    });
}

ARCHDSL_API int archdsl_grad(archdsl_tensor a, archdsl_tensor* out) {
    return guarded([&] {
        *out_ptr(out) = nullptr;
        const auto& g = tensor(a).grad();
        if (g.defined()) emit(out, g);  // shares the gradient's storage: in-place changes (clipping) reach it
    });
}

ARCHDSL_API int archdsl_clear_grad(archdsl_tensor a) {
    return guarded([&] { const_cast<at::Tensor&>(tensor(a)).mutable_grad().reset(); });
}

ARCHDSL_API int archdsl_update_(int32_t op, archdsl_tensor dst, archdsl_tensor a, archdsl_tensor b, double value) {
    return guarded([&] {
        auto& d = const_cast<at::Tensor&>(tensor(dst, "destination handle is null"));
        switch (op) {
            case ARCHDSL_MUL_: d.mul_(value); break;
            case ARCHDSL_ADD_: d.add_(tensor(a), value); break;
            case ARCHDSL_ADDCMUL_: d.addcmul_(tensor(a), tensor(b), value); break;
            case ARCHDSL_ADDCDIV_: d.addcdiv_(tensor(a), tensor(b), value); break;
            default: throw ArgumentError("unknown in-place update code " + std::to_string(op));
        }
    });
}

ARCHDSL_API int archdsl_cross_entropy(archdsl_tensor logits, archdsl_tensor target, double label_smoothing, archdsl_tensor* out) {
    return guarded([&] {
        *out_ptr(out) = nullptr;
        const auto& x = tensor(logits);
        const auto& y = tensor(target);
        require(x.dim() == 2 && y.dim() == 1 && y.scalar_type() == at::kLong, "cross_entropy needs logits [N, C] and int64 class indices [N]");
        emit(out, at::cross_entropy_loss(x, y, c10::nullopt, at::Reduction::Mean, /*ignore_index=*/-100, label_smoothing));
    });
}

// ---- lifetime and creation -------------------------------------------------------------------

ARCHDSL_API void archdsl_free(archdsl_tensor t) {
    if (t == nullptr) return;
    delete static_cast<at::Tensor*>(t);
    live_tensors.fetch_sub(1, std::memory_order_relaxed);
}

ARCHDSL_API int archdsl_from_data(const void* data, int64_t nbytes, int32_t dtype_code, const int64_t* shape, int32_t ndim,
                                  archdsl_tensor* out) {
    return guarded([&] {
        *out_ptr(out) = nullptr;
        auto sizes = ints(shape, ndim, "shape is null or has a negative rank");
        auto result = at::empty(sizes, at::TensorOptions().dtype(dtype(dtype_code)));
        int64_t expected = result.numel() * static_cast<int64_t>(result.element_size());
        if (nbytes != expected)
            throw ArgumentError("data has " + std::to_string(nbytes) + " bytes, shape and dtype need " + std::to_string(expected));
        require(expected == 0 || data != nullptr, "data pointer is null");
        if (expected > 0) std::memcpy(result.data_ptr(), data, static_cast<size_t>(expected));
        emit(out, std::move(result));
    });
}

ARCHDSL_API int archdsl_factory(int32_t kind, const int64_t* shape, int32_t ndim, int32_t dtype_code, archdsl_scalar value,
                                int64_t seed, archdsl_tensor* out) {
    return guarded([&] {
        *out_ptr(out) = nullptr;
        auto sizes = ints(shape, ndim, "shape is null or has a negative rank");
        auto options = at::TensorOptions().dtype(dtype(dtype_code));
        c10::optional<at::Generator> generator;
        if (seed >= 0) generator = at::make_generator<at::CPUGeneratorImpl>(static_cast<uint64_t>(seed));
        switch (kind) {
            case ARCHDSL_EMPTY: emit(out, at::empty(sizes, options)); break;
            case ARCHDSL_FULL: emit(out, at::full(sizes, scalar(value), options)); break;
            case ARCHDSL_RAND: emit(out, at::rand(sizes, generator, options)); break;
            case ARCHDSL_RANDN: emit(out, at::randn(sizes, generator, options)); break;
            default: throw ArgumentError("unknown factory kind " + std::to_string(kind));
        }
    });
}

ARCHDSL_API int archdsl_arange(archdsl_scalar start, archdsl_scalar end, archdsl_scalar step, int32_t dtype_code, archdsl_tensor* out) {
    return guarded([&] {
        *out_ptr(out) = nullptr;
        emit(out, at::arange(scalar(start), scalar(end), scalar(step), at::TensorOptions().dtype(dtype(dtype_code))));
    });
}

ARCHDSL_API int archdsl_to_dtype(archdsl_tensor a, int32_t dtype_code, archdsl_tensor* out) {
    return guarded([&] {
        *out_ptr(out) = nullptr;
        emit(out, tensor(a).to(dtype(dtype_code)));
    });
}

ARCHDSL_API int archdsl_copy_(archdsl_tensor dst, archdsl_tensor src) {
    return guarded([&] {
        auto& d = const_cast<at::Tensor&>(tensor(dst, "destination handle is null"));
        d.copy_(tensor(src, "source handle is null"));
    });
}

ARCHDSL_API int archdsl_fill_(archdsl_tensor dst, archdsl_scalar value) {
    return guarded([&] { const_cast<at::Tensor&>(tensor(dst)).fill_(scalar(value)); });
}

// ---- inspection ------------------------------------------------------------------------------

ARCHDSL_API int archdsl_dim(archdsl_tensor a, int64_t* out) {
    return guarded([&] { *out_ptr(out) = tensor(a).dim(); });
}

ARCHDSL_API int archdsl_shape(archdsl_tensor a, int64_t* buffer, int64_t capacity) {
    return guarded([&] {
        const auto& t = tensor(a);
        require(capacity >= t.dim() && (t.dim() == 0 || buffer != nullptr), "shape buffer is null or too small");
        for (int64_t i = 0; i < t.dim(); ++i) buffer[i] = t.size(i);
    });
}

ARCHDSL_API int archdsl_dtype(archdsl_tensor a, int32_t* out) {
    return guarded([&] { *out_ptr(out) = static_cast<int32_t>(tensor(a).scalar_type()); });
}

ARCHDSL_API int archdsl_numel(archdsl_tensor a, int64_t* out) {
    return guarded([&] { *out_ptr(out) = tensor(a).numel(); });
}

ARCHDSL_API int archdsl_element_size(archdsl_tensor a, int64_t* out) {
    return guarded([&] { *out_ptr(out) = static_cast<int64_t>(tensor(a).element_size()); });
}

ARCHDSL_API int archdsl_is_contiguous(archdsl_tensor a, int32_t* out) {
    return guarded([&] { *out_ptr(out) = tensor(a).is_contiguous() ? 1 : 0; });
}

ARCHDSL_API int archdsl_data_ptr(archdsl_tensor a, void** out) {
    return guarded([&] {
        *out_ptr(out) = nullptr;
        const auto& t = tensor(a);
        require(t.is_contiguous(), "data_ptr needs a contiguous tensor");
        *out = t.data_ptr();
    });
}

ARCHDSL_API int archdsl_copy_to(archdsl_tensor a, void* buffer, int64_t nbytes) {
    return guarded([&] {
        auto t = tensor(a).contiguous();
        int64_t expected = t.numel() * static_cast<int64_t>(t.element_size());
        if (nbytes != expected)
            throw ArgumentError("buffer has " + std::to_string(nbytes) + " bytes, tensor has " + std::to_string(expected));
        require(expected == 0 || buffer != nullptr, "buffer is null");
        if (expected > 0) std::memcpy(buffer, t.data_ptr(), static_cast<size_t>(expected));
    });
}

// ---- elementwise, reductions, comparisons ----------------------------------------------------

// An elementwise op on a channels-last map (the inference plan's layout) runs on the map's NHWC view, which is
// contiguous: libtorch 1.13 takes a slow path for some ops on channels-last strides (GELU measured 6x slower on
// CAS-ViT's maps). The result keeps the input's layout. Only where no graph is recorded: training keeps libtorch's
// own layout handling, as the inference plan leaves training untouched.
static bool channels_last_map(const at::Tensor& t) {
    return t.dim() == 4 && !t.is_contiguous() && t.is_contiguous(at::MemoryFormat::ChannelsLast);
}

template <class Op>
static at::Tensor elementwise(const at::Tensor& t, Op op) {
    bool recorded = at::GradMode::is_enabled() && t.requires_grad();
    if (recorded || !channels_last_map(t)) return op(t);
    return op(t.permute({0, 2, 3, 1})).permute({0, 3, 1, 2});
}

// Exact GELU. libtorch 1.13 computes its gradient with oneDNN when the input is contiguous and gets it wrong (zeros,
// stale memory, NaN) when the incoming gradient has other strides, as after a transpose or permute of the output:
// pytorch/pytorch#107876, fixed in PyTorch 2.1 by pytorch/pytorch#108038. A hook on the output hands GELU's backward
// a contiguous gradient.
static at::Tensor gelu_exact(const at::Tensor& x) {
    auto y = at::gelu(x, "none");
    if (y.requires_grad() && x.is_contiguous())
        y.register_hook([](const at::Tensor& grad) { return grad.contiguous(); });
    return y;
}

ARCHDSL_API int archdsl_unary(int32_t op, archdsl_tensor a, archdsl_tensor* out) {
    return guarded([&] {
        *out_ptr(out) = nullptr;
        const auto& t = tensor(a);
        auto each = [&](auto f) { emit(out, elementwise(t, f)); };
        switch (op) {
            case ARCHDSL_ALIAS: emit(out, t); break;
            case ARCHDSL_CLONE: emit(out, t.clone()); break;
            case ARCHDSL_CONTIGUOUS: emit(out, t.contiguous()); break;
            case ARCHDSL_NEG: each([](const at::Tensor& x) { return at::neg(x); }); break;
            case ARCHDSL_ABS: each([](const at::Tensor& x) { return at::abs(x); }); break;
            case ARCHDSL_EXP: each([](const at::Tensor& x) { return at::exp(x); }); break;
            case ARCHDSL_LOG: each([](const at::Tensor& x) { return at::log(x); }); break;
            case ARCHDSL_SQRT: each([](const at::Tensor& x) { return at::sqrt(x); }); break;
            case ARCHDSL_RSQRT: each([](const at::Tensor& x) { return at::rsqrt(x); }); break;
            case ARCHDSL_TANH: each([](const at::Tensor& x) { return at::tanh(x); }); break;
            case ARCHDSL_SIGMOID: each([](const at::Tensor& x) { return at::sigmoid(x); }); break;
            case ARCHDSL_RELU: each([](const at::Tensor& x) { return at::relu(x); }); break;
            case ARCHDSL_RELU6: each([](const at::Tensor& x) { return at::hardtanh(x, 0, 6); }); break;
            case ARCHDSL_GELU: each(gelu_exact); break;
            case ARCHDSL_GELU_TANH: each([](const at::Tensor& x) { return at::gelu(x, "tanh"); }); break;
            case ARCHDSL_SILU: each([](const at::Tensor& x) { return at::silu(x); }); break;
            case ARCHDSL_HARDSWISH: each([](const at::Tensor& x) { return at::hardswish(x); }); break;
            case ARCHDSL_HARDSIGMOID: each([](const at::Tensor& x) { return at::hardsigmoid(x); }); break;
            case ARCHDSL_DETACH: emit(out, t.detach()); break;
            default: throw ArgumentError("unknown unary op code " + std::to_string(op));
        }
    });
}

ARCHDSL_API int archdsl_unary_(int32_t op, archdsl_tensor a, archdsl_tensor* out) {
    return guarded([&] {
        *out_ptr(out) = nullptr;
        auto t = tensor(a);
        // on a channels-last map, the op runs on the contiguous NHWC view of the same storage (see elementwise)
        auto x = channels_last_map(t) ? t.permute({0, 2, 3, 1}) : t;
        switch (op) {
            case ARCHDSL_TANH: x.tanh_(); break;
            case ARCHDSL_SIGMOID: x.sigmoid_(); break;
            case ARCHDSL_RELU: x.relu_(); break;
            case ARCHDSL_RELU6: at::hardtanh_(x, 0, 6); break;
            case ARCHDSL_GELU: at::gelu_(x, "none"); break;
            case ARCHDSL_GELU_TANH: at::gelu_(x, "tanh"); break;
            case ARCHDSL_SILU: at::silu_(x); break;
            case ARCHDSL_HARDSWISH: at::hardswish_(x); break;
            case ARCHDSL_HARDSIGMOID: at::hardsigmoid_(x); break;
            default: throw ArgumentError("no in-place form of unary op code " + std::to_string(op));
        }
        emit(out, t);
    });
}

ARCHDSL_API int archdsl_binary(int32_t op, archdsl_tensor a, archdsl_tensor b, archdsl_tensor* out) {
    return guarded([&] {
        *out_ptr(out) = nullptr;
        const auto& x = tensor(a);
        const auto& y = tensor(b);
        switch (op) {
            case ARCHDSL_ADD: emit(out, at::add(x, y)); break;
            case ARCHDSL_SUB: emit(out, at::sub(x, y)); break;
            case ARCHDSL_MUL: emit(out, at::mul(x, y)); break;
            case ARCHDSL_DIV: emit(out, at::div(x, y)); break;
            case ARCHDSL_POW: emit(out, at::pow(x, y)); break;
            case ARCHDSL_MAXIMUM: emit(out, at::maximum(x, y)); break;
            case ARCHDSL_MINIMUM: emit(out, at::minimum(x, y)); break;
            case ARCHDSL_EQ: emit(out, at::eq(x, y)); break;
            case ARCHDSL_NE: emit(out, at::ne(x, y)); break;
            case ARCHDSL_LT: emit(out, at::lt(x, y)); break;
            case ARCHDSL_LE: emit(out, at::le(x, y)); break;
            case ARCHDSL_GT: emit(out, at::gt(x, y)); break;
            case ARCHDSL_GE: emit(out, at::ge(x, y)); break;
            case ARCHDSL_MATMUL: emit(out, at::matmul(x, y)); break;
            case ARCHDSL_BMM: emit(out, at::bmm(x, y)); break;
            default: throw ArgumentError("unknown tensor-tensor op code " + std::to_string(op));
        }
    });
}

ARCHDSL_API int archdsl_binary_scalar(int32_t op, archdsl_tensor a, archdsl_scalar b, archdsl_tensor* out) {
    return guarded([&] {
        *out_ptr(out) = nullptr;
        emit(out, binary_with_scalar(op, tensor(a), scalar(b)));
    });
}

ARCHDSL_API int archdsl_reduce(int32_t op, archdsl_tensor a, const int64_t* dims, int32_t ndims, int32_t keepdim, archdsl_tensor* out) {
    return guarded([&] {
        *out_ptr(out) = nullptr;
        const auto& t = tensor(a);
        auto given = ints(dims, ndims, "dims are null or have a negative count");
        std::vector<int64_t> every = all_dims(t);
        at::IntArrayRef d = ndims == 0 ? at::IntArrayRef(every) : given;
        bool keep = keepdim != 0;
        switch (op) {
            case ARCHDSL_SUM: emit(out, at::sum(t, d, keep)); break;
            case ARCHDSL_MEAN: emit(out, at::mean(t, d, keep)); break;
            case ARCHDSL_AMAX: emit(out, at::amax(t, d, keep)); break;
            case ARCHDSL_AMIN: emit(out, at::amin(t, d, keep)); break;
            default: throw ArgumentError("unknown reduction op code " + std::to_string(op));
        }
    });
}

ARCHDSL_API int archdsl_arg_reduce(int32_t op, archdsl_tensor a, int64_t dim, int32_t has_dim, int32_t keepdim, archdsl_tensor* out) {
    return guarded([&] {
        *out_ptr(out) = nullptr;
        c10::optional<int64_t> d = has_dim ? c10::optional<int64_t>(dim) : c10::nullopt;
        switch (op) {
            case ARCHDSL_ARGMAX: emit(out, at::argmax(tensor(a), d, keepdim != 0)); break;
            case ARCHDSL_ARGMIN: emit(out, at::argmin(tensor(a), d, keepdim != 0)); break;
            default: throw ArgumentError("unknown arg-reduction op code " + std::to_string(op));
        }
    });
}

ARCHDSL_API int archdsl_max_dim(archdsl_tensor a, int64_t dim, int32_t keepdim, archdsl_tensor* values, archdsl_tensor* indices) {
    return guarded([&] {
        *out_ptr(values) = nullptr;
        *out_ptr(indices) = nullptr;
        auto result = at::max(tensor(a), dim, keepdim != 0);
        archdsl_tensor pair_out[2];
        emit_all(pair_out, {std::get<0>(result), std::get<1>(result)});
        *values = pair_out[0];
        *indices = pair_out[1];
    });
}

ARCHDSL_API int archdsl_topk(archdsl_tensor a, int64_t k, int64_t dim, int32_t largest, int32_t sorted, archdsl_tensor* values,
                             archdsl_tensor* indices) {
    return guarded([&] {
        *out_ptr(values) = nullptr;
        *out_ptr(indices) = nullptr;
        auto result = at::topk(tensor(a), k, dim, largest != 0, sorted != 0);
        archdsl_tensor pair_out[2];
        emit_all(pair_out, {std::get<0>(result), std::get<1>(result)});
        *values = pair_out[0];
        *indices = pair_out[1];
    });
}

ARCHDSL_API int archdsl_softmax(archdsl_tensor a, int64_t dim, int32_t log, archdsl_tensor* out) {
    return guarded([&] {
        *out_ptr(out) = nullptr;
        emit(out, log ? at::log_softmax(tensor(a), dim) : at::softmax(tensor(a), dim));
    });
}

ARCHDSL_API int archdsl_clamp(archdsl_tensor a, const double* min, const double* max, archdsl_tensor* out) {
    return guarded([&] {
        *out_ptr(out) = nullptr;
        c10::optional<at::Scalar> lo = min ? c10::optional<at::Scalar>(*min) : c10::nullopt;
        c10::optional<at::Scalar> hi = max ? c10::optional<at::Scalar>(*max) : c10::nullopt;
        emit(out, at::clamp(tensor(a), lo, hi));
    });
}

ARCHDSL_API int archdsl_where(archdsl_tensor condition, archdsl_tensor a, archdsl_tensor b, archdsl_tensor* out) {
    return guarded([&] {
        *out_ptr(out) = nullptr;
        emit(out, at::where(tensor(condition), tensor(a), tensor(b)));
    });
}

ARCHDSL_API int archdsl_masked_fill(archdsl_tensor a, archdsl_tensor mask, archdsl_scalar value, archdsl_tensor* out) {
    return guarded([&] {
        *out_ptr(out) = nullptr;
        emit(out, at::masked_fill(tensor(a), tensor(mask), scalar(value)));
    });
}

ARCHDSL_API int archdsl_allclose(archdsl_tensor a, archdsl_tensor b, double rtol, double atol, int32_t equal_nan, int32_t* out) {
    return guarded([&] { *out_ptr(out) = at::allclose(tensor(a), tensor(b), rtol, atol, equal_nan != 0) ? 1 : 0; });
}

ARCHDSL_API int archdsl_max_abs_diff(archdsl_tensor a, archdsl_tensor b, double* out) {
    return guarded([&] {
        *out_ptr(out) = 0;
        const auto& x = tensor(a);
        const auto& y = tensor(b);
        if (!x.sizes().equals(y.sizes()))
            throw ArgumentError("max_abs_diff needs equal shapes, got " + c10::str(x.sizes()) + " and " + c10::str(y.sizes()));
        if (x.numel() == 0) return;
        *out = (x.to(at::kDouble) - y.to(at::kDouble)).abs().max().item<double>();
    });
}

// ---- shape -----------------------------------------------------------------------------------

ARCHDSL_API int archdsl_shape_op(int32_t op, archdsl_tensor a, const int64_t* sizes, int32_t n, archdsl_tensor* out) {
    return guarded([&] {
        *out_ptr(out) = nullptr;
        const auto& t = tensor(a);
        auto s = ints(sizes, n, "sizes are null or have a negative count");
        switch (op) {
            case ARCHDSL_RESHAPE: emit(out, t.reshape(s)); break;
            case ARCHDSL_VIEW: emit(out, t.view(s)); break;
            case ARCHDSL_EXPAND: emit(out, t.expand(s)); break;
            case ARCHDSL_REPEAT: emit(out, t.repeat(s)); break;
            case ARCHDSL_PERMUTE: emit(out, t.permute(s)); break;
            default: throw ArgumentError("unknown shape op code " + std::to_string(op));
        }
    });
}

ARCHDSL_API int archdsl_transpose(archdsl_tensor a, int64_t dim0, int64_t dim1, archdsl_tensor* out) {
    return guarded([&] {
        *out_ptr(out) = nullptr;
        emit(out, tensor(a).transpose(dim0, dim1));
    });
}

ARCHDSL_API int archdsl_flatten(archdsl_tensor a, int64_t start_dim, int64_t end_dim, archdsl_tensor* out) {
    return guarded([&] {
        *out_ptr(out) = nullptr;
        emit(out, tensor(a).flatten(start_dim, end_dim));
    });
}

ARCHDSL_API int archdsl_unsqueeze(archdsl_tensor a, int64_t dim, archdsl_tensor* out) {
    return guarded([&] {
        *out_ptr(out) = nullptr;
        emit(out, tensor(a).unsqueeze(dim));
    });
}

ARCHDSL_API int archdsl_squeeze(archdsl_tensor a, int64_t dim, int32_t has_dim, archdsl_tensor* out) {
    return guarded([&] {
        *out_ptr(out) = nullptr;
        emit(out, has_dim ? tensor(a).squeeze(dim) : tensor(a).squeeze());
    });
}

ARCHDSL_API int archdsl_narrow(archdsl_tensor a, int64_t dim, int64_t start, int64_t length, archdsl_tensor* out) {
    return guarded([&] {
        *out_ptr(out) = nullptr;
        emit(out, tensor(a).narrow(dim, start, length));
    });
}

ARCHDSL_API int archdsl_slice(archdsl_tensor a, int64_t dim, int64_t start, int64_t end, int64_t step, archdsl_tensor* out) {
    return guarded([&] {
        *out_ptr(out) = nullptr;
        emit(out, tensor(a).slice(dim, start, end, step));
    });
}

ARCHDSL_API int archdsl_select(archdsl_tensor a, int64_t dim, int64_t index, archdsl_tensor* out) {
    return guarded([&] {
        *out_ptr(out) = nullptr;
        emit(out, tensor(a).select(dim, index));
    });
}

ARCHDSL_API int archdsl_roll(archdsl_tensor a, const int64_t* shifts, int32_t nshifts, const int64_t* dims, int32_t ndims, archdsl_tensor* out) {
    return guarded([&] {
        *out_ptr(out) = nullptr;
        emit(out, at::roll(tensor(a), ints(shifts, nshifts, "shifts are null or have a negative count"),
                           ints(dims, ndims, "dims are null or have a negative count")));
    });
}

ARCHDSL_API int archdsl_cat(const archdsl_tensor* tensors, int32_t n, int64_t dim, archdsl_tensor* out) {
    return guarded([&] {
        *out_ptr(out) = nullptr;
        emit(out, at::cat(tensor_list(tensors, n), dim));
    });
}

ARCHDSL_API int archdsl_stack(const archdsl_tensor* tensors, int32_t n, int64_t dim, archdsl_tensor* out) {
    return guarded([&] {
        *out_ptr(out) = nullptr;
        emit(out, at::stack(tensor_list(tensors, n), dim));
    });
}

ARCHDSL_API int archdsl_chunk(archdsl_tensor a, int64_t chunks, int64_t dim, archdsl_tensor* outs, int32_t capacity, int32_t* count) {
    return guarded([&] {
        *out_ptr(count) = 0;
        require(outs != nullptr, "output array is null");
        auto parts = at::chunk(tensor(a), chunks, dim);
        if (static_cast<int64_t>(parts.size()) > capacity)
            throw ArgumentError("chunk produced " + std::to_string(parts.size()) + " tensors, output array holds " + std::to_string(capacity));
        int32_t produced = static_cast<int32_t>(parts.size());
        emit_all(outs, std::move(parts));
        *count = produced;
    });
}

ARCHDSL_API int archdsl_split(archdsl_tensor a, const int64_t* sizes, int32_t n, int64_t dim, archdsl_tensor* outs) {
    return guarded([&] {
        require(outs != nullptr, "output array is null");
        auto parts = at::split_with_sizes(tensor(a), ints(sizes, n, "split sizes are null or have a negative count"), dim);
        emit_all(outs, std::move(parts));
    });
}

ARCHDSL_API int archdsl_index_select(archdsl_tensor a, int64_t dim, archdsl_tensor index, archdsl_tensor* out) {
    return guarded([&] {
        *out_ptr(out) = nullptr;
        emit(out, at::index_select(tensor(a), dim, tensor(index)));
    });
}

ARCHDSL_API int archdsl_gather(archdsl_tensor a, int64_t dim, archdsl_tensor index, archdsl_tensor* out) {
    return guarded([&] {
        *out_ptr(out) = nullptr;
        emit(out, at::gather(tensor(a), dim, tensor(index)));
    });
}

ARCHDSL_API int archdsl_scatter(archdsl_tensor a, int64_t dim, archdsl_tensor index, archdsl_tensor src, archdsl_tensor* out) {
    return guarded([&] {
        *out_ptr(out) = nullptr;
        emit(out, at::scatter(tensor(a), dim, tensor(index), tensor(src)));
    });
}

// ---- neural-network ops ----------------------------------------------------------------------

ARCHDSL_API int archdsl_conv2d(archdsl_tensor input, archdsl_tensor weight, archdsl_tensor bias,
                               const int64_t* stride, const int64_t* padding, const int64_t* dilation, int64_t groups, archdsl_tensor* out) {
    return guarded([&] {
        *out_ptr(out) = nullptr;
        emit(out, at::conv2d(tensor(input), tensor(weight), optional_tensor(bias), pair(stride, "stride is null"),
                             pair(padding, "padding is null"), pair(dilation, "dilation is null"), groups));
    });
}

ARCHDSL_API int archdsl_conv2d_channels_last(archdsl_tensor input, archdsl_tensor weight, archdsl_tensor bias,
                                             const int64_t* stride, const int64_t* padding, const int64_t* dilation, int64_t groups,
                                             archdsl_tensor* out) {
    return guarded([&] {
        *out_ptr(out) = nullptr;
        auto x = tensor(input).contiguous(at::MemoryFormat::ChannelsLast);
        emit(out, at::mkldnn_convolution(x, tensor(weight), optional_tensor(bias), pair(padding, "padding is null"),
                                         pair(stride, "stride is null"), pair(dilation, "dilation is null"), groups));
    });
}

ARCHDSL_API int archdsl_conv_transpose2d(archdsl_tensor input, archdsl_tensor weight, archdsl_tensor bias,
                                         const int64_t* stride, const int64_t* padding, const int64_t* output_padding,
                                         const int64_t* dilation, int64_t groups, archdsl_tensor* out) {
    return guarded([&] {
        *out_ptr(out) = nullptr;
        emit(out, at::conv_transpose2d(tensor(input), tensor(weight), optional_tensor(bias), pair(stride, "stride is null"),
                                       pair(padding, "padding is null"), pair(output_padding, "output_padding is null"), groups,
                                       pair(dilation, "dilation is null")));
    });
}

ARCHDSL_API int archdsl_linear(archdsl_tensor input, archdsl_tensor weight, archdsl_tensor bias, archdsl_tensor* out) {
    return guarded([&] {
        *out_ptr(out) = nullptr;
        emit(out, at::linear(tensor(input), tensor(weight), optional_tensor(bias)));
    });
}

// ---- oneDNN matmul: the inference plan's linear layers ------------------------------------------

namespace {

// oneDNN's matmul reads the weight [out, in] in place as a transposed [in, out] matrix: no reorder per call, which
// libtorch's oneDNN convolution does. Creating a primitive costs far more than running a small one, so primitives are
// kept per shape and thread count (only shapes: the data comes with each call); a workload of many sizes starts over
// past 1024. Threads may run one primitive at once: each call brings its own scratchpad (oneDNN's own, kept in the
// primitive, is not safe to share; measured wrong from four threads).
struct MatmulShape {
    int64_t rows, in, out;
    bool bias;
    int32_t activation;  // -1 or a unary op code
    int32_t threads;
    bool operator==(const MatmulShape& o) const {
        return rows == o.rows && in == o.in && out == o.out && bias == o.bias && activation == o.activation &&
               threads == o.threads;
    }
};

struct MatmulShapeHash {
    size_t operator()(const MatmulShape& s) const {
        size_t h = std::hash<int64_t>()(s.rows);
        for (int64_t v : {s.in, s.out, static_cast<int64_t>(s.bias), static_cast<int64_t>(s.activation),
                          static_cast<int64_t>(s.threads)})
            h = h * 1000003u ^ std::hash<int64_t>()(v);
        return h;
    }
};

struct Matmul {
    dnnl::matmul primitive;
    int64_t scratchpad_bytes;
};

// An activation as a oneDNN post-op: the algorithm and its alpha, beta (Activation.AppliesInMatmul lists these).
void append_activation(dnnl::post_ops& ops, int32_t activation) {
    using alg = dnnl::algorithm;
    switch (activation) {
        case ARCHDSL_GELU: ops.append_eltwise(1.f, alg::eltwise_gelu_erf, 0.f, 0.f); break;
        case ARCHDSL_GELU_TANH: ops.append_eltwise(1.f, alg::eltwise_gelu_tanh, 0.f, 0.f); break;
        case ARCHDSL_RELU: ops.append_eltwise(1.f, alg::eltwise_relu, 0.f, 0.f); break;
        case ARCHDSL_RELU6: ops.append_eltwise(1.f, alg::eltwise_clip_v2, 0.f, 6.f); break;
        case ARCHDSL_SILU: ops.append_eltwise(1.f, alg::eltwise_swish, 1.f, 0.f); break;
        case ARCHDSL_SIGMOID: ops.append_eltwise(1.f, alg::eltwise_logistic, 0.f, 0.f); break;
        case ARCHDSL_TANH: ops.append_eltwise(1.f, alg::eltwise_tanh, 0.f, 0.f); break;
        case ARCHDSL_HARDSWISH: ops.append_eltwise(1.f, alg::eltwise_hardswish, 1.f / 6.f, 0.5f); break;
        default: throw ArgumentError("linear: no oneDNN post-op for unary op code " + std::to_string(activation));
    }
}

const dnnl::engine& cpu_engine() {
    static const dnnl::engine engine(dnnl::engine::kind::cpu, 0);
    return engine;
}

Matmul matmul_primitive(const MatmulShape& shape) {
    static std::mutex mutex;
    static std::unordered_map<MatmulShape, Matmul, MatmulShapeHash> primitives;
    std::lock_guard<std::mutex> lock(mutex);
    auto found = primitives.find(shape);
    if (found != primitives.end()) return found->second;
    using tag = dnnl::memory::format_tag;
    const auto f32 = dnnl::memory::data_type::f32;
    dnnl::memory::desc src({shape.rows, shape.in}, f32, tag::ab);
    dnnl::memory::desc weights({shape.in, shape.out}, f32, tag::ba);
    dnnl::memory::desc dst({shape.rows, shape.out}, f32, tag::ab);
    auto desc = shape.bias ? dnnl::matmul::desc(src, weights, dnnl::memory::desc({1, shape.out}, f32, tag::ab), dst)
                           : dnnl::matmul::desc(src, weights, dst);
    dnnl::primitive_attr attributes;
    attributes.set_scratchpad_mode(dnnl::scratchpad_mode::user);
    if (shape.activation >= 0) {
        dnnl::post_ops ops;
        append_activation(ops, shape.activation);
        attributes.set_post_ops(ops);
    }
    dnnl::matmul::primitive_desc pd(desc, attributes, cpu_engine());
    Matmul matmul{dnnl::matmul(pd), static_cast<int64_t>(pd.scratchpad_desc().get_size())};
    if (primitives.size() >= 1024) primitives.clear();
    primitives.emplace(shape, matmul);
    return matmul;
}

}  // namespace

// activation(x @ w^T + b) over the last dimension of x by oneDNN's matmul (see Matmul).
static at::Tensor onednn_linear(const at::Tensor& x, const at::Tensor& w, const c10::optional<at::Tensor>& b, int32_t activation) {
    if (x.dim() < 1 || w.dim() != 2 || x.size(-1) != w.size(1) || (b && (b->dim() != 1 || b->size(0) != w.size(0))))
        throw ArgumentError("linear: input " + c10::str(x.sizes()) + " does not match weight " + c10::str(w.sizes()) +
                            (b ? " and bias " + c10::str(b->sizes()) : std::string()));
    bool f32 = x.scalar_type() == at::kFloat && w.scalar_type() == at::kFloat && (!b || b->scalar_type() == at::kFloat);
    if (!f32 || !x.device().is_cpu() || x.numel() == 0) {
        if (activation >= 0) throw ArgumentError("linear: an activation is applied in oneDNN's matmul only on float32 CPU rows");
        return at::linear(x, w, b);
    }
    int64_t in = w.size(1), n = w.size(0), rows = x.numel() / in;
    auto rows_in = x.contiguous();
    auto weights = w.contiguous();
    auto bias_values = b ? b->contiguous() : at::Tensor();
    auto result_sizes = x.sizes().vec();
    result_sizes.back() = n;
    auto result = at::empty(result_sizes, x.options().memory_format(at::MemoryFormat::Contiguous));
    MatmulShape shape{rows, in, n, b.has_value(), activation, static_cast<int32_t>(at::get_num_threads())};
    auto matmul = matmul_primitive(shape);
    using tag = dnnl::memory::format_tag;
    const auto dt = dnnl::memory::data_type::f32;
    const auto& engine = cpu_engine();
    std::unordered_map<int, dnnl::memory> args{
        {DNNL_ARG_SRC, dnnl::memory({{rows, in}, dt, tag::ab}, engine, rows_in.data_ptr())},
        {DNNL_ARG_WEIGHTS, dnnl::memory({{in, n}, dt, tag::ba}, engine, weights.data_ptr())},
        {DNNL_ARG_DST, dnnl::memory({{rows, n}, dt, tag::ab}, engine, result.data_ptr())},
    };
    if (b) args.emplace(DNNL_ARG_BIAS, dnnl::memory({{1, n}, dt, tag::ab}, engine, bias_values.data_ptr()));
    at::Tensor scratchpad;
    if (matmul.scratchpad_bytes > 0) {
        scratchpad = at::empty({matmul.scratchpad_bytes}, x.options().dtype(at::kByte));
        args.emplace(DNNL_ARG_SCRATCHPAD,
                     dnnl::memory({{matmul.scratchpad_bytes}, dnnl::memory::data_type::u8, tag::a}, engine, scratchpad.data_ptr()));
    }
    thread_local dnnl::stream stream(engine);
    matmul.primitive.execute(stream, args);
    stream.wait();
    return result;
}

ARCHDSL_API int archdsl_linear_onednn(archdsl_tensor input, archdsl_tensor weight, archdsl_tensor bias, int32_t activation,
                                      archdsl_tensor* out) {
    return guarded([&] {
        *out_ptr(out) = nullptr;
        emit(out, onednn_linear(tensor(input), tensor(weight), optional_tensor(bias), activation));
    });
}

ARCHDSL_API int archdsl_conv1x1_onednn(archdsl_tensor input, archdsl_tensor weight, archdsl_tensor bias, archdsl_tensor* out) {
    return guarded([&] {
        *out_ptr(out) = nullptr;
        const auto& x = tensor(input);
        const auto& w = tensor(weight);
        if (x.dim() != 4 || w.dim() != 4 || w.size(2) != 1 || w.size(3) != 1 || w.size(1) != x.size(1))
            throw ArgumentError("1x1 convolution: input " + c10::str(x.sizes()) + " does not match weight " + c10::str(w.sizes()));
        // the map's pixels as rows: the NHWC view of a channels-last map, contiguous
        auto pixels = x.contiguous(at::MemoryFormat::ChannelsLast).permute({0, 2, 3, 1});
        auto y = onednn_linear(pixels, w.reshape({w.size(0), w.size(1)}), optional_tensor(bias), -1);
        emit(out, y.permute({0, 3, 1, 2}));
    });
}

ARCHDSL_API int archdsl_batch_norm(archdsl_tensor input, archdsl_tensor weight, archdsl_tensor bias,
                                   archdsl_tensor running_mean, archdsl_tensor running_var,
                                   int32_t training, double momentum, double eps, archdsl_tensor* out) {
    return guarded([&] {
        *out_ptr(out) = nullptr;
        emit(out, at::batch_norm(tensor(input), optional_tensor(weight), optional_tensor(bias), optional_tensor(running_mean),
                                 optional_tensor(running_var), training != 0, momentum, eps, /*cudnn_enabled=*/false));
    });
}

ARCHDSL_API int archdsl_layer_norm(archdsl_tensor input, const int64_t* normalized_shape, int32_t n,
                                   archdsl_tensor weight, archdsl_tensor bias, double eps, archdsl_tensor* out) {
    return guarded([&] {
        *out_ptr(out) = nullptr;
        emit(out, at::layer_norm(tensor(input), ints(normalized_shape, n, "normalized_shape is null or has a negative count"),
                                 optional_tensor(weight), optional_tensor(bias), eps));
    });
}

ARCHDSL_API int archdsl_group_norm(archdsl_tensor input, int64_t groups, archdsl_tensor weight, archdsl_tensor bias, double eps, archdsl_tensor* out) {
    return guarded([&] {
        *out_ptr(out) = nullptr;
        emit(out, at::group_norm(tensor(input), groups, optional_tensor(weight), optional_tensor(bias), eps));
    });
}

ARCHDSL_API int archdsl_pool2d(int32_t op, archdsl_tensor input, const int64_t* kernel, const int64_t* stride, const int64_t* padding,
                               const int64_t* dilation, int32_t ceil_mode, int32_t count_include_pad, archdsl_tensor* out) {
    return guarded([&] {
        *out_ptr(out) = nullptr;
        auto k = pair(kernel, "kernel is null");
        auto s = pair(stride, "stride is null");
        auto p = pair(padding, "padding is null");
        switch (op) {
            case ARCHDSL_MAX_POOL:
                emit(out, at::max_pool2d(tensor(input), k, s, p, pair(dilation, "dilation is null"), ceil_mode != 0));
                break;
            case ARCHDSL_AVG_POOL:
                emit(out, at::avg_pool2d(tensor(input), k, s, p, ceil_mode != 0, count_include_pad != 0));
                break;
            default: throw ArgumentError("unknown pooling op code " + std::to_string(op));
        }
    });
}

ARCHDSL_API int archdsl_adaptive_avg_pool2d(archdsl_tensor input, const int64_t* output_size, archdsl_tensor* out) {
    return guarded([&] {
        *out_ptr(out) = nullptr;
        emit(out, at::adaptive_avg_pool2d(tensor(input), pair(output_size, "output_size is null")));
    });
}

ARCHDSL_API int archdsl_interpolate(archdsl_tensor input, int32_t mode, const int64_t* size, const double* scale,
                                    int32_t align_corners, archdsl_tensor* out) {
    return guarded([&] {
        *out_ptr(out) = nullptr;
        require((size == nullptr) != (scale == nullptr), "interpolate needs exactly one of size and scale");
        const auto& x = tensor(input);
        require(x.dim() == 4, "interpolate supports 4-d (N, C, H, W) input only");
        at::OptionalIntArrayRef out_size = size ? at::OptionalIntArrayRef(at::IntArrayRef(size, 2)) : c10::nullopt;
        c10::optional<at::ArrayRef<double>> scales = scale ? c10::optional<at::ArrayRef<double>>(at::ArrayRef<double>(scale, 2)) : c10::nullopt;
        switch (mode) {
            case ARCHDSL_NEAREST:
                require(align_corners < 0, "align_corners can only be set with the interpolating modes (bilinear)");
                emit(out, at::upsample_nearest2d(x, out_size, scales));
                break;
            case ARCHDSL_BILINEAR:
                emit(out, at::upsample_bilinear2d(x, out_size, align_corners > 0, scales));
                break;
            default: throw ArgumentError("unknown interpolation mode " + std::to_string(mode));
        }
    });
}

ARCHDSL_API int archdsl_unfold(archdsl_tensor input, const int64_t* kernel, const int64_t* dilation, const int64_t* padding,
                               const int64_t* stride, archdsl_tensor* out) {
    return guarded([&] {
        *out_ptr(out) = nullptr;
        const auto& x = tensor(input);
        require(x.dim() == 4, "unfold supports 4-d (N, C, H, W) input only");
        emit(out, at::im2col(x, at::IntArrayRef(kernel, 2), at::IntArrayRef(dilation, 2), at::IntArrayRef(padding, 2),
                             at::IntArrayRef(stride, 2)));
    });
}

ARCHDSL_API int archdsl_fold(archdsl_tensor input, const int64_t* output_size, const int64_t* kernel, const int64_t* dilation,
                             const int64_t* padding, const int64_t* stride, archdsl_tensor* out) {
    return guarded([&] {
        *out_ptr(out) = nullptr;
        const auto& x = tensor(input);
        require(x.dim() == 3, "fold supports 3-d (N, C·kh·kw, L) input only");
        emit(out, at::col2im(x, at::IntArrayRef(output_size, 2), at::IntArrayRef(kernel, 2), at::IntArrayRef(dilation, 2),
                             at::IntArrayRef(padding, 2), at::IntArrayRef(stride, 2)));
    });
}

ARCHDSL_API int archdsl_grid_sample(archdsl_tensor input, archdsl_tensor grid, int32_t mode, int32_t padding, int32_t align_corners,
                                    archdsl_tensor* out) {
    return guarded([&] {
        *out_ptr(out) = nullptr;
        const auto& x = tensor(input);
        const auto& g = tensor(grid);
        require(x.dim() == 4 && g.dim() == 4 && g.size(3) == 2, "grid_sample needs a 4-d input and a grid [N, H, W, 2]");
        require(mode == ARCHDSL_NEAREST || mode == ARCHDSL_BILINEAR, "unknown grid_sample mode");
        require(padding >= 0 && padding <= 2, "unknown grid_sample padding mode");
        // at::grid_sampler's interpolation codes: 0 bilinear, 1 nearest
        emit(out, at::grid_sampler(x, g, mode == ARCHDSL_BILINEAR ? 0 : 1, padding, align_corners != 0));
    });
}

ARCHDSL_API int archdsl_normalize(archdsl_tensor input, double p, int64_t dim, double eps, archdsl_tensor* out) {
    return guarded([&] {
        *out_ptr(out) = nullptr;
        // torch.nn.functional.normalize: x / max(||x||_p, eps) along dim
        const auto& x = tensor(input);
        auto norm = at::norm(x, p, at::IntArrayRef(&dim, 1), /*keepdim=*/true).clamp_min(eps);
        emit(out, x / norm.expand_as(x));
    });
}

ARCHDSL_API int archdsl_pad(archdsl_tensor input, const int64_t* pads, int32_t n, double value, archdsl_tensor* out) {
    return guarded([&] {
        *out_ptr(out) = nullptr;
        emit(out, at::constant_pad_nd(tensor(input), ints(pads, n, "pads are null or have a negative count"), value));
    });
}

ARCHDSL_API int archdsl_dropout(archdsl_tensor input, double p, int32_t train, archdsl_tensor* out) {
    return guarded([&] {
        *out_ptr(out) = nullptr;
        emit(out, at::dropout(tensor(input), p, train != 0));
    });
}

// libtorch runs convolutions through oneDNN, which keeps every primitive it creates (with its JIT-compiled kernel)
// in a process-wide LRU cache, 1024 entries by default; every new input size adds entries. oneDNN's C API is looked
// up through libtorch's own dependency tree: Debian's libtorch links oneDNN as libdnnl.so.2, upstream builds carry it
// inside libtorch_cpu.
ARCHDSL_API int archdsl_set_primitive_cache_capacity(int32_t capacity, int32_t* previous) {
    return guarded([&] {
        require(capacity >= 0, "primitive cache capacity must be non-negative");
        require(previous != nullptr, "previous is null");
        Dl_info torch_cpu{};
        if (dladdr(reinterpret_cast<void*>(&at::get_num_threads), &torch_cpu) == 0 || torch_cpu.dli_fname == nullptr)
            throw std::runtime_error("cannot locate libtorch_cpu");
        void* library = dlopen(torch_cpu.dli_fname, RTLD_LAZY | RTLD_NOLOAD);
        if (library == nullptr) throw std::runtime_error("cannot open libtorch_cpu");
        auto get = reinterpret_cast<int (*)(int*)>(dlsym(library, "dnnl_get_primitive_cache_capacity"));
        auto set = reinterpret_cast<int (*)(int)>(dlsym(library, "dnnl_set_primitive_cache_capacity"));
        dlclose(library);
        if (get == nullptr || set == nullptr) throw std::runtime_error("this libtorch exports no oneDNN primitive cache API");
        int old = 0;
        if (get(&old) != 0 || set(capacity) != 0) throw std::runtime_error("oneDNN refused the primitive cache capacity");
        *previous = old;
    });
}
