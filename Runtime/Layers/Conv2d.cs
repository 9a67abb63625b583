using System;
using System.Collections.Generic;
using System.Diagnostics;
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

    private readonly Dictionary<(long, long, long, long, int Threads), bool> _channelsLastFaster = new();

    public string Plan => string.Join(", ", new[]
    {
        Fold is null ? "" : Fold.NormFirst ? "BatchNorm before folded in" : "BatchNorm after folded in",
        _channelsLastFaster.Count == 0 ? "" : _channelsLastFaster.Values.All(v => v) ? "oneDNN channels-last"
            : _channelsLastFaster.Values.Any(v => v) ? "oneDNN channels-last for some shapes" : "libtorch's choice (measured faster)",
    }.Where(p => p.Length > 0));

    public override Tensor forward(Tensor input)
    {
        ShapeCheck.NCHW(input, in_channels, name);
        if (training) return F.conv2d(input, weight, bias, stride, padding, dilation, groups);
        var (w, b) = Fold is null ? (weight, bias) : Fold.Folded();
        return optimizations.HasFlag(InferenceOptimizations.ChannelsLast) && ChannelsLastFaster(input, w, b)
            ? F.conv2d_channels_last(input, w, b, stride, padding, dilation, groups)
            : F.conv2d(input, w, b, stride, padding, dilation, groups);
    }

    /// <summary>Whether oneDNN on channels-last maps beats libtorch's own choice for this input shape: measured once per
    /// shape and thread count, the fastest of four alternating runs of each after one warm-up (results equal within
    /// rounding). It must win by 5 %: its channels-last output can cost the layers after it, which this does not see.</summary>
    private bool ChannelsLastFaster(Tensor input, Tensor w, Tensor? b)
    {
        var shape = input.Shape;
        var key = (shape[0], shape[1], shape[2], shape[3], torch.get_num_threads());
        if (_channelsLastFaster.TryGetValue(key, out bool faster)) return faster;
        using var unrecorded = OpRecorder.Suppress();  // trial runs, not part of the forward pass
        double best = double.MaxValue, bestChannelsLast = double.MaxValue;
        for (int run = 0; run < 5; run++)
        {
            long start = Stopwatch.GetTimestamp();
            F.conv2d(input, w, b, stride, padding, dilation, groups).Dispose();
            double plain = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            start = Stopwatch.GetTimestamp();
            F.conv2d_channels_last(input, w, b, stride, padding, dilation, groups).Dispose();
            double channelsLast = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            if (run == 0) continue;  // warm-up: oneDNN creates its primitive on first use
            best = Math.Min(best, plain);
            bestChannelsLast = Math.Min(bestChannelsLast, channelsLast);
        }
        faster = bestChannelsLast < 0.95 * best;
        _channelsLastFaster[key] = faster;
        return faster;
    }

    /// <summary>A new mode forgets the measured choices (the machine's load may differ by then).</summary>
    protected override void OnModeChanged() => _channelsLastFaster.Clear();
}
