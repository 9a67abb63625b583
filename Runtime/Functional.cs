using System;
using ArchDsl.Runtime.Native;
using static ArchDsl.Runtime.Native.NativeMethods;

namespace ArchDsl.Runtime;

/// <summary>The functions of <c>torch.nn.functional</c>, with PyTorch's argument order and defaults.
/// Shape errors come back from libtorch as <see cref="TorchException"/>. Each native call is reported to an open
/// <see cref="OpRecorder"/> under the function's name.</summary>
public static class F
{
    private static TensorHandle Optional(Tensor? t) => t?.Handle ?? TensorHandle.Null;

    public static Tensor conv2d(Tensor input, Tensor weight, Tensor? bias = null,
        long stride = 1, long padding = 0, long dilation = 1, long groups = 1) =>
        conv2d(input, weight, bias, (stride, stride), (padding, padding), (dilation, dilation), groups);

    public static Tensor conv2d(Tensor input, Tensor weight, Tensor? bias,
        (long h, long w) stride, (long h, long w) padding, (long h, long w) dilation, long groups = 1) =>
        Conv2d(ConvPath.AsWritten, input, weight, bias, stride, padding, dilation, groups);

    /// <summary>The same convolution by oneDNN on a channels-last map, for inference (no autograd): the input is made
    /// channels-last when it is not, and the result is channels-last (<see cref="InferenceOptimizations.ChannelsLast"/>).</summary>
    public static Tensor conv2d_channels_last(Tensor input, Tensor weight, Tensor? bias,
        (long h, long w) stride, (long h, long w) padding, (long h, long w) dilation, long groups = 1) =>
        Conv2d(ConvPath.ChannelsLast, input, weight, bias, stride, padding, dilation, groups);

    /// <summary>A 1×1 convolution (stride 1, no padding, no groups) as oneDNN's matmul over the pixels of the map made
    /// channels-last; the result is channels-last. For inference (<see cref="InferenceOptimizations.OneDnnLinear"/>).</summary>
    public static Tensor conv1x1_onednn(Tensor input, Tensor weight, Tensor? bias = null) =>
        Conv2d(ConvPath.Matmul, input, weight, bias, (1, 1), (0, 0), (1, 1), 1);

    private enum ConvPath { AsWritten, ChannelsLast, Matmul }

    /// <summary>The convolutions: the same arguments and the same record (a recorder sees one conv2d either way).</summary>
    private static unsafe Tensor Conv2d(ConvPath path, Tensor input, Tensor weight, Tensor? bias,
        (long h, long w) stride, (long h, long w) padding, (long h, long w) dilation, long groups)
    {
        long* s = stackalloc long[] { stride.h, stride.w };
        long* p = stackalloc long[] { padding.h, padding.w };
        long* d = stackalloc long[] { dilation.h, dilation.w };
        TensorHandle r;
        int status = path switch
        {
            ConvPath.ChannelsLast => archdsl_conv2d_channels_last(input.Handle, weight.Handle, Optional(bias), s, p, d, groups, out r),
            ConvPath.Matmul => archdsl_conv1x1_onednn(input.Handle, weight.Handle, Optional(bias), out r),
            _ => archdsl_conv2d(input.Handle, weight.Handle, Optional(bias), s, p, d, groups, out r),
        };
        var result = Tensor.Wrap(status, r);
        if (OpRecorder.IsActive)
        {
            OpRecorder.Record("conv2d", result, $"stride={OpRecorder.Pair(stride)}, padding={OpRecorder.Pair(padding)}, " +
                $"dilation={OpRecorder.Pair(dilation)}, groups={OpRecorder.Number(groups)}", input, weight, bias);
        }
        return result;
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
        var result = Tensor.Wrap(archdsl_conv_transpose2d(input.Handle, weight.Handle, Optional(bias), s, p, o, d, groups, out var r), r);
        if (OpRecorder.IsActive)
        {
            OpRecorder.Record("conv_transpose2d", result, $"stride={OpRecorder.Pair(stride)}, padding={OpRecorder.Pair(padding)}, " +
                $"output_padding={OpRecorder.Pair(output_padding)}, dilation={OpRecorder.Pair(dilation)}, groups={OpRecorder.Number(groups)}",
                input, weight, bias);
        }
        return result;
    }

    /// <summary>input @ weight^T + bias, weight [out_features, in_features].</summary>
    public static Tensor linear(Tensor input, Tensor weight, Tensor? bias = null) => Linear(oneDnn: false, input, weight, bias);

    /// <summary>The same product by oneDNN's matmul, for inference (no autograd; float32, other types as
    /// <see cref="linear"/>) (<see cref="InferenceOptimizations.OneDnnLinear"/>).</summary>
    public static Tensor linear_onednn(Tensor input, Tensor weight, Tensor? bias = null) => Linear(oneDnn: true, input, weight, bias);

    /// <summary>activation(input @ weight^T + bias) in one oneDNN matmul, the activation as its post-op (those with
    /// <see cref="Activation.AppliesInMatmul"/>); for inference.</summary>
    public static Tensor linear_onednn(Tensor input, Tensor weight, Tensor? bias, Activation activation)
    {
        if (!activation.AppliesInMatmul)
            throw new ArgumentException($"oneDNN's matmul cannot apply {activation.GetType().Name}", nameof(activation));
        return Linear(oneDnn: true, input, weight, bias, (int)activation.Op);
    }

    /// <summary>Both products: the same arguments and the same record (a recorder sees one linear either way).</summary>
    private static Tensor Linear(bool oneDnn, Tensor input, Tensor weight, Tensor? bias, int activation = -1)
    {
        var result = Tensor.Wrap(oneDnn
            ? archdsl_linear_onednn(input.Handle, weight.Handle, Optional(bias), activation, out var r)
            : archdsl_linear(input.Handle, weight.Handle, Optional(bias), out r), r);
        if (OpRecorder.IsActive) OpRecorder.Record("linear", result, "", input, weight, bias);
        return result;
    }

    /// <summary>With training false the running statistics normalise; with training true the batch statistics
    /// do, and the running statistics are updated in place with <paramref name="momentum"/>.</summary>
    public static Tensor batch_norm(Tensor input, Tensor? running_mean, Tensor? running_var, Tensor? weight = null, Tensor? bias = null,
        bool training = false, double momentum = 0.1, double eps = 1e-5)
    {
        var result = Tensor.Wrap(archdsl_batch_norm(input.Handle, Optional(weight), Optional(bias), Optional(running_mean), Optional(running_var),
            training ? 1 : 0, momentum, eps, out var r), r);
        if (OpRecorder.IsActive)
            OpRecorder.Record("batch_norm", result, $"training={OpRecorder.Bool(training)}, eps={OpRecorder.Number(eps)}", input, weight, bias);
        return result;
    }

    public static unsafe Tensor layer_norm(Tensor input, long[] normalized_shape, Tensor? weight = null, Tensor? bias = null, double eps = 1e-5)
    {
        Tensor result;
        fixed (long* s = normalized_shape)
            result = Tensor.Wrap(archdsl_layer_norm(input.Handle, s, normalized_shape.Length, Optional(weight), Optional(bias), eps, out var r), r);
        if (OpRecorder.IsActive)
            OpRecorder.Record("layer_norm", result, $"normalized_shape={OpRecorder.Dims(normalized_shape)}, eps={OpRecorder.Number(eps)}", input, weight, bias);
        return result;
    }

    public static Tensor group_norm(Tensor input, long num_groups, Tensor? weight = null, Tensor? bias = null, double eps = 1e-5)
    {
        var result = Tensor.Wrap(archdsl_group_norm(input.Handle, num_groups, Optional(weight), Optional(bias), eps, out var r), r);
        if (OpRecorder.IsActive)
            OpRecorder.Record("group_norm", result, $"groups={OpRecorder.Number(num_groups)}, eps={OpRecorder.Number(eps)}", input, weight, bias);
        return result;
    }

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

    /// <summary>Mean cross-entropy of <paramref name="input"/> logits [N, C] against int64 class indices [N]; with
    /// <paramref name="label_smoothing"/> ε the target is (1 − ε)·one-hot + ε/C, as in torch.nn.functional.cross_entropy.</summary>
    public static Tensor cross_entropy(Tensor input, Tensor target, double label_smoothing = 0.0)
    {
        if (label_smoothing is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(label_smoothing), label_smoothing, "label smoothing must be in [0, 1]");
        var result = Tensor.Wrap(archdsl_cross_entropy(input.Handle, target.Handle, label_smoothing, out var r), r);
        if (OpRecorder.IsActive) OpRecorder.Record("cross_entropy", result, "label_smoothing=" + OpRecorder.Number(label_smoothing), input, target);
        return result;
    }

    /// <summary>Zeroes elements with probability p and scales the rest by 1/(1-p) when training; identity otherwise.</summary>
    public static Tensor dropout(Tensor input, double p = 0.5, bool training = true)
    {
        if (p is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(p), p, "dropout probability must be in [0, 1]");
        var result = Tensor.Wrap(archdsl_dropout(input.Handle, p, training ? 1 : 0, out var r), r);
        if (training && p > 0 && OpRecorder.IsActive) OpRecorder.Record("dropout", result, "p=" + OpRecorder.Number(p), input);
        return result;
    }

    // ---- attention ----

    /// <summary>PyTorch 2.x's <c>scaled_dot_product_attention</c> without masks: softmax((query · scale) @ keyᵀ) @ value
    /// over [..., L, E] queries and [..., S, E] keys, [..., S, Ev] values; <paramref name="scale"/> defaults to
    /// 1/sqrt(E). Dropout with <paramref name="dropout_p"/> is applied to the attention weights whenever it is positive
    /// (pass 0 in eval mode, as nn.MultiheadAttention does). The products go through torch.matmul, so an OpObserver and
    /// an OpRecorder see them.</summary>
    public static Tensor scaled_dot_product_attention(Tensor query, Tensor key, Tensor value, double dropout_p = 0.0, double? scale = null)
    {
        var q = query.Shape;
        if (q.Length < 2) throw new ArgumentException($"query must have at least 2 dimensions, got {ShapeCheck.Format(q)}", nameof(query));
        double factor = scale ?? 1.0 / Math.Sqrt(q[^1]);
        using var scope = torch.NewDisposeScope();
        var weights = torch.matmul(query * factor, key.transpose(-2, -1)).softmax(-1);
        if (dropout_p > 0) weights = dropout(weights, dropout_p, training: true);
        return scope.MoveToOuter(torch.matmul(weights, value));
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
        var result = Tensor.Wrap(archdsl_pool2d(op, input.Handle, k, s, p, d, ceil ? 1 : 0, includePad ? 1 : 0, out var r), r);
        if (OpRecorder.IsActive)
        {
            string detail = $"kernel_size={OpRecorder.Number(kernel)}, stride={OpRecorder.Number(stride)}, padding={OpRecorder.Number(padding)}";
            if (op == NativeMethods.Pool.Max) detail += $", dilation={OpRecorder.Number(dilation)}";
            if (ceil) detail += ", ceil_mode=true";
            if (op == NativeMethods.Pool.Avg && !includePad) detail += ", count_include_pad=false";
            OpRecorder.Record(op == NativeMethods.Pool.Max ? "max_pool2d" : "avg_pool2d", result, detail, input);
        }
        return result;
    }

    public static Tensor adaptive_avg_pool2d(Tensor input, long output_size) => adaptive_avg_pool2d(input, (output_size, output_size));

    public static unsafe Tensor adaptive_avg_pool2d(Tensor input, (long h, long w) output_size)
    {
        long* s = stackalloc long[] { output_size.h, output_size.w };
        var result = Tensor.Wrap(archdsl_adaptive_avg_pool2d(input.Handle, s, out var r), r);
        if (OpRecorder.IsActive) OpRecorder.Record("adaptive_avg_pool2d", result, "output_size=" + OpRecorder.Pair(output_size), input);
        return result;
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
        var result = Tensor.Wrap(archdsl_interpolate(input.Handle, (int)mode, size.HasValue ? sz : null, scale_factor.HasValue ? sc : null, align, out var r), r);
        if (OpRecorder.IsActive)
        {
            string detail = mode.ToString().ToLowerInvariant();
            if (align_corners is { } a) detail += ", align_corners=" + OpRecorder.Bool(a);
            OpRecorder.Record("interpolate", result, detail, input);
        }
        return result;
    }

    /// <summary>torch.nn.functional.unfold (im2col) of a map [N, C, H, W]: [N, C·kh·kw, L], one column per sliding
    /// block, L blocks row-major.</summary>
    public static unsafe Tensor unfold(Tensor input, (long h, long w) kernel_size, (long h, long w) dilation, (long h, long w) padding,
        (long h, long w) stride)
    {
        long* k = stackalloc long[] { kernel_size.h, kernel_size.w };
        long* d = stackalloc long[] { dilation.h, dilation.w };
        long* p = stackalloc long[] { padding.h, padding.w };
        long* s = stackalloc long[] { stride.h, stride.w };
        var result = Tensor.Wrap(archdsl_unfold(input.Handle, k, d, p, s, out var r), r);
        if (OpRecorder.IsActive)
            OpRecorder.Record("unfold", result, $"kernel={OpRecorder.Pair(kernel_size)}, stride={OpRecorder.Pair(stride)}, padding={OpRecorder.Pair(padding)}", input);
        return result;
    }

    public static Tensor unfold(Tensor input, long kernel_size, long dilation = 1, long padding = 0, long stride = 1) =>
        unfold(input, (kernel_size, kernel_size), (dilation, dilation), (padding, padding), (stride, stride));

    /// <summary>torch.nn.functional.fold (col2im): columns [N, C·kh·kw, L] summed back into a map [N, C, H, W] of
    /// <paramref name="output_size"/>, overlapping contributions added.</summary>
    public static unsafe Tensor fold(Tensor input, (long h, long w) output_size, (long h, long w) kernel_size, (long h, long w) dilation,
        (long h, long w) padding, (long h, long w) stride)
    {
        long* o = stackalloc long[] { output_size.h, output_size.w };
        long* k = stackalloc long[] { kernel_size.h, kernel_size.w };
        long* d = stackalloc long[] { dilation.h, dilation.w };
        long* p = stackalloc long[] { padding.h, padding.w };
        long* s = stackalloc long[] { stride.h, stride.w };
        var result = Tensor.Wrap(archdsl_fold(input.Handle, o, k, d, p, s, out var r), r);
        if (OpRecorder.IsActive)
            OpRecorder.Record("fold", result, $"output_size={OpRecorder.Pair(output_size)}, kernel={OpRecorder.Pair(kernel_size)}, stride={OpRecorder.Pair(stride)}", input);
        return result;
    }

    public static Tensor fold(Tensor input, (long h, long w) output_size, long kernel_size, long dilation = 1, long padding = 0, long stride = 1) =>
        fold(input, output_size, (kernel_size, kernel_size), (dilation, dilation), (padding, padding), (stride, stride));

    /// <summary>torch.nn.functional.grid_sample of a map [N, C, H, W] at <paramref name="grid"/> [N, Ho, Wo, 2] (x, y
    /// normalised to [-1, 1]); padding: "zeros", "border" or "reflection".</summary>
    public static Tensor grid_sample(Tensor input, Tensor grid, InterpolationMode mode = InterpolationMode.Bilinear, string padding_mode = "zeros",
        bool align_corners = false)
    {
        int padding = padding_mode switch
        {
            "zeros" => 0,
            "border" => 1,
            "reflection" => 2,
            _ => throw new ArgumentException($"padding_mode '{padding_mode}' is not zeros, border or reflection", nameof(padding_mode)),
        };
        var result = Tensor.Wrap(archdsl_grid_sample(input.Handle, grid.Handle, (int)mode, padding, align_corners ? 1 : 0, out var r), r);
        if (OpRecorder.IsActive)
            OpRecorder.Record("grid_sample", result, $"{mode.ToString().ToLowerInvariant()}, {padding_mode}, align_corners={OpRecorder.Bool(align_corners)}", input, grid);
        return result;
    }

    /// <summary>x / max(||x||_p, eps) along <paramref name="dim"/>.</summary>
    public static Tensor normalize(Tensor input, double p = 2.0, long dim = 1, double eps = 1e-12)
    {
        var result = Tensor.Wrap(archdsl_normalize(input.Handle, p, dim, eps, out var r), r);
        if (OpRecorder.IsActive) OpRecorder.Record("normalize", result, $"p={OpRecorder.Number(p)}, dim={OpRecorder.Number(dim)}", input);
        return result;
    }

    /// <summary>Constant padding; <paramref name="pad"/> lists (before, after) pairs starting from the last dimension.</summary>
    public static unsafe Tensor pad(Tensor input, long[] pad, double value = 0)
    {
        fixed (long* p = pad) return Tensor.Wrap(archdsl_pad(input.Handle, p, pad.Length, value, out var r), r);
    }
}
