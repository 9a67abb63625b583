using System;
using System.Linq;

namespace ArchDsl.Runtime;

/// <summary>2-d convolution; weight [out_channels, in_channels / groups, kh, kw], bias [out_channels].
/// groups == in_channels gives a depthwise convolution.</summary>
public sealed class Conv2d : Module<Tensor, Tensor>, IPlanned
{
    /// <param name="kernel_w">Width of a kernel that is not square (kernel_size is then its height); 0: square.</param>
    /// <param name="padding_w">Padding of the width when it differs from the height's; -1: the same.</param>
    /// <param name="zero_init">Weight and bias start at zero (a predictor of offsets that must start from none).</param>
    public Conv2d(long in_channels, long out_channels, long kernel_size, long stride = 1, long padding = 0,
        long dilation = 1, long groups = 1, bool bias = true, string name = "Conv2d", long kernel_w = 0, long padding_w = -1,
        bool zero_init = false)
        : this(in_channels, out_channels, (kernel_size, kernel_w > 0 ? kernel_w : kernel_size), (stride, stride),
            (padding, padding_w >= 0 ? padding_w : padding), (dilation, dilation), groups, bias, name)
    {
        if (!zero_init) return;
        using var write = GradMode.ForParameterWrites();
        weight.fill_(0.0);
        this.bias?.fill_(0.0);
    }

    public Conv2d(long in_channels, long out_channels, (long h, long w) kernel_size, (long h, long w) stride, (long h, long w) padding,
        (long h, long w) dilation, long groups = 1, bool bias = true, string name = "Conv2d") : base(name)
    {
        if (in_channels <= 0 || out_channels <= 0 || groups <= 0 || in_channels % groups != 0 || out_channels % groups != 0)
            throw new ArgumentException($"{name}: in_channels ({in_channels}) and out_channels ({out_channels}) must be positive multiples of groups ({groups})");
        if (kernel_size.h <= 0 || kernel_size.w <= 0) throw new ArgumentException($"{name}: kernel_size must be positive");
        this.in_channels = in_channels;
        this.out_channels = out_channels;
        this.kernel_size = kernel_size;
        this.stride = stride;
        this.padding = padding;
        this.dilation = dilation;
        this.groups = groups;
        long fanIn = in_channels / groups * kernel_size.h * kernel_size.w;
        double bound = 1.0 / Math.Sqrt(fanIn);
        weight = Init.Uniform([out_channels, in_channels / groups, kernel_size.h, kernel_size.w], bound);
        register_parameter("weight", weight);
        if (bias)
        {
            this.bias = Init.Uniform([out_channels], bound);
            register_parameter("bias", this.bias);
        }
    }

    public long in_channels { get; }
    public long out_channels { get; }
    public (long h, long w) kernel_size { get; }
    public (long h, long w) stride { get; }
    public (long h, long w) padding { get; }
    public (long h, long w) dilation { get; }
    public long groups { get; }
    public Tensor weight { get; }
    public Tensor? bias { get; }

    /// <summary>The BatchNorm folded into this convolution by the inference plan (eval mode only).</summary>
    internal BatchNormFold? Fold { get; set; }

    public string Plan => string.Join(", ", new[]
    {
        Fold is null ? "" : Fold.NormFirst ? "BatchNorm before folded in" : "BatchNorm after folded in",
        Matmul ? "oneDNN matmul over channels-last pixels" : ChannelsLast ? "oneDNN channels-last" : "",
    }.Where(p => p.Length > 0));

    private bool ChannelsLast => !training && optimizations.HasFlag(InferenceOptimizations.ChannelsLast);

    /// <summary>A pointwise convolution (1×1, stride 1, no padding, no groups) of channels-last maps is a linear layer
    /// over the pixels, and runs as one when the plan has both ChannelsLast and OneDnnLinear.</summary>
    private bool Matmul => ChannelsLast && optimizations.HasFlag(InferenceOptimizations.OneDnnLinear)
        && kernel_size == (1, 1) && stride == (1, 1) && padding == (0, 0) && groups == 1;

    public override Tensor forward(Tensor input)
    {
        ShapeCheck.NCHW(input, in_channels, name);
        if (training) return F.conv2d(input, weight, bias, stride, padding, dilation, groups);
        var (w, b) = Fold is null ? (weight, bias) : Fold.Folded();
        return Matmul ? F.conv1x1_onednn(input, w, b)
            : ChannelsLast ? F.conv2d_channels_last(input, w, b, stride, padding, dilation, groups)
            : F.conv2d(input, w, b, stride, padding, dilation, groups);
    }
}
