using System;
using ArchDsl.Runtime.Native;
using static ArchDsl.Runtime.Native.NativeMethods;

namespace ArchDsl.Runtime;

/// <summary>The functions of <c>torch.nn.functional</c>, with PyTorch's argument order and defaults.
/// Shape errors come back from libtorch as <see cref="TorchException"/>.</summary>
public static class F
{
    private static TensorHandle Optional(Tensor? t) => t?.Handle ?? TensorHandle.Null;

    public static Tensor conv2d(Tensor input, Tensor weight, Tensor? bias = null,
        long stride = 1, long padding = 0, long dilation = 1, long groups = 1) =>
        conv2d(input, weight, bias, (stride, stride), (padding, padding), (dilation, dilation), groups);

    public static unsafe Tensor conv2d(Tensor input, Tensor weight, Tensor? bias,
        (long h, long w) stride, (long h, long w) padding, (long h, long w) dilation, long groups = 1)
    {
        long* s = stackalloc long[] { stride.h, stride.w };
        long* p = stackalloc long[] { padding.h, padding.w };
        long* d = stackalloc long[] { dilation.h, dilation.w };
        return Tensor.Wrap(archdsl_conv2d(input.Handle, weight.Handle, Optional(bias), s, p, d, groups, out var r), r);
    }

    public static Tensor conv_transpose2d(Tensor input, Tensor weight, Tensor? bias = null,
        long stride = 1, long padding = 0, long output_padding = 0, long groups = 1, long dilation = 1) =>
        conv_transpose2d(input, weight, bias, (stride, stride), (padding, padding), (output_padding, output_padding), groups, (dilation, dilation));

    public static unsafe Tensor conv_transpose2d(Tensor input, Tensor weight, Tensor? bias,
        (long h, long w) stride, (long h, long w) padding, (long h, long w) output_padding, long groups, (long h, long w) dilation)
    {
        long* s = stackalloc long[] { stride.h, stride.w };
        long* p = stackalloc long[] { padding.h, padding.w };
        long* o = stackalloc long[] { output_padding.h, output_padding.w };
        long* d = stackalloc long[] { dilation.h, dilation.w };
        return Tensor.Wrap(archdsl_conv_transpose2d(input.Handle, weight.Handle, Optional(bias), s, p, o, d, groups, out var r), r);
    }

    /// <summary>input @ weight^T + bias, weight [out_features, in_features].</summary>
    public static Tensor linear(Tensor input, Tensor weight, Tensor? bias = null) =>
        Tensor.Wrap(archdsl_linear(input.Handle, weight.Handle, Optional(bias), out var r), r);

    /// <summary>With training false the running statistics normalise; with training true the batch statistics
    /// do, and the running statistics are updated in place with <paramref name="momentum"/>.</summary>
    public static Tensor batch_norm(Tensor input, Tensor? running_mean, Tensor? running_var, Tensor? weight = null, Tensor? bias = null,
        bool training = false, double momentum = 0.1, double eps = 1e-5) =>
        Tensor.Wrap(archdsl_batch_norm(input.Handle, Optional(weight), Optional(bias), Optional(running_mean), Optional(running_var),
            training ? 1 : 0, momentum, eps, out var r), r);

    public static unsafe Tensor layer_norm(Tensor input, long[] normalized_shape, Tensor? weight = null, Tensor? bias = null, double eps = 1e-5)
    {
        fixed (long* s = normalized_shape)
            return Tensor.Wrap(archdsl_layer_norm(input.Handle, s, normalized_shape.Length, Optional(weight), Optional(bias), eps, out var r), r);
    }

    public static Tensor group_norm(Tensor input, long num_groups, Tensor? weight = null, Tensor? bias = null, double eps = 1e-5) =>
        Tensor.Wrap(archdsl_group_norm(input.Handle, num_groups, Optional(weight), Optional(bias), eps, out var r), r);

    // ---- activations ----

    public static Tensor relu(Tensor input) => input.Unary(Unary.Relu);
    public static Tensor relu6(Tensor input) => input.Unary(Unary.Relu6);

    /// <summary><paramref name="approximate"/>: "none" (exact, erf) or "tanh".</summary>
    public static Tensor gelu(Tensor input, string approximate = "none") => approximate switch
    {
        "none" => input.Unary(Unary.Gelu),
        "tanh" => input.Unary(Unary.GeluTanh),
        _ => throw new ArgumentException($"approximate must be \"none\" or \"tanh\", got \"{approximate}\"", nameof(approximate)),
    };

    public static Tensor silu(Tensor input) => input.Unary(Unary.Silu);
    public static Tensor sigmoid(Tensor input) => input.Unary(Unary.Sigmoid);
    public static Tensor tanh(Tensor input) => input.Unary(Unary.Tanh);
    public static Tensor hardswish(Tensor input) => input.Unary(Unary.Hardswish);
    public static Tensor hardsigmoid(Tensor input) => input.Unary(Unary.Hardsigmoid);
    public static Tensor softmax(Tensor input, long dim) => input.softmax(dim);
    public static Tensor log_softmax(Tensor input, long dim) => input.log_softmax(dim);

    /// <summary>Zeroes elements with probability p and scales the rest by 1/(1-p) when training; identity otherwise.</summary>
    public static Tensor dropout(Tensor input, double p = 0.5, bool training = true)
    {
        if (p is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(p), p, "dropout probability must be in [0, 1]");
        return Tensor.Wrap(archdsl_dropout(input.Handle, p, training ? 1 : 0, out var r), r);
    }

    // ---- pooling and resampling ----

    /// <summary>stride defaults to kernel_size, as in PyTorch.</summary>
    public static Tensor max_pool2d(Tensor input, long kernel_size, long? stride = null, long padding = 0, long dilation = 1, bool ceil_mode = false) =>
        Pool(NativeMethods.Pool.Max, input, kernel_size, stride ?? kernel_size, padding, dilation, ceil_mode, false);

    /// <summary>stride defaults to kernel_size, as in PyTorch.</summary>
    public static Tensor avg_pool2d(Tensor input, long kernel_size, long? stride = null, long padding = 0, bool ceil_mode = false, bool count_include_pad = true) =>
        Pool(NativeMethods.Pool.Avg, input, kernel_size, stride ?? kernel_size, padding, 1, ceil_mode, count_include_pad);

    private static unsafe Tensor Pool(NativeMethods.Pool op, Tensor input, long kernel, long stride, long padding, long dilation, bool ceil, bool includePad)
    {
        long* k = stackalloc long[] { kernel, kernel };
        long* s = stackalloc long[] { stride, stride };
        long* p = stackalloc long[] { padding, padding };
        long* d = stackalloc long[] { dilation, dilation };
        return Tensor.Wrap(archdsl_pool2d(op, input.Handle, k, s, p, d, ceil ? 1 : 0, includePad ? 1 : 0, out var r), r);
    }

    public static Tensor adaptive_avg_pool2d(Tensor input, long output_size) => adaptive_avg_pool2d(input, (output_size, output_size));

    public static unsafe Tensor adaptive_avg_pool2d(Tensor input, (long h, long w) output_size)
    {
        long* s = stackalloc long[] { output_size.h, output_size.w };
        return Tensor.Wrap(archdsl_adaptive_avg_pool2d(input.Handle, s, out var r), r);
    }

    /// <summary>Resizes (N, C, H, W) input to <paramref name="size"/>, or by <paramref name="scale_factor"/>
    /// (output size floor(in * scale), the scale also used for the sampling grid, as PyTorch does without
    /// recompute_scale_factor). align_corners may only be given for bilinear.</summary>
    public static unsafe Tensor interpolate(Tensor input, (long h, long w)? size = null, double? scale_factor = null,
        InterpolationMode mode = InterpolationMode.Nearest, bool? align_corners = null)
    {
        if (size.HasValue == scale_factor.HasValue) throw new ArgumentException("interpolate needs exactly one of size and scale_factor");
        long* sz = stackalloc long[2];
        double* sc = stackalloc double[2];
        if (size is { } s) { sz[0] = s.h; sz[1] = s.w; }
        if (scale_factor is { } f) { sc[0] = f; sc[1] = f; }
        int align = align_corners is null ? -1 : align_corners.Value ? 1 : 0;
        return Tensor.Wrap(archdsl_interpolate(input.Handle, (int)mode, size.HasValue ? sz : null, scale_factor.HasValue ? sc : null, align, out var r), r);
    }

    /// <summary>x / max(||x||_p, eps) along <paramref name="dim"/>.</summary>
    public static Tensor normalize(Tensor input, double p = 2.0, long dim = 1, double eps = 1e-12) =>
        Tensor.Wrap(archdsl_normalize(input.Handle, p, dim, eps, out var r), r);

    /// <summary>Constant padding; <paramref name="pad"/> lists (before, after) pairs starting from the last dimension.</summary>
    public static unsafe Tensor pad(Tensor input, long[] pad, double value = 0)
    {
        fixed (long* p = pad) return Tensor.Wrap(archdsl_pad(input.Handle, p, pad.Length, value, out var r), r);
    }
}
