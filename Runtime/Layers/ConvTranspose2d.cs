using System;

namespace ArchDsl.Runtime;

/// <summary>2-d transposed convolution; weight [in_channels, out_channels / groups, kh, kw], bias [out_channels].</summary>
public sealed class ConvTranspose2d : Module<Tensor, Tensor>
{
    public ConvTranspose2d(long in_channels, long out_channels, long kernel_size, long stride = 1, long padding = 0,
        long output_padding = 0, long groups = 1, bool bias = true, long dilation = 1, string name = "ConvTranspose2d") : base(name)
    {
        if (in_channels <= 0 || out_channels <= 0 || groups <= 0 || in_channels % groups != 0 || out_channels % groups != 0)
            throw new ArgumentException($"{name}: in_channels ({in_channels}) and out_channels ({out_channels}) must be positive multiples of groups ({groups})");
        if (kernel_size <= 0) throw new ArgumentException($"{name}: kernel_size must be positive");
        this.in_channels = in_channels;
        this.out_channels = out_channels;
        this.kernel_size = kernel_size;
        this.stride = stride;
        this.padding = padding;
        this.output_padding = output_padding;
        this.groups = groups;
        this.dilation = dilation;
        // PyTorch computes fan_in from weight dim 1, which for a transposed conv is out_channels / groups
        double bound = 1.0 / Math.Sqrt(out_channels / groups * kernel_size * kernel_size);
        weight = Init.Uniform([in_channels, out_channels / groups, kernel_size, kernel_size], bound);
        register_parameter("weight", weight);
        if (bias)
        {
            this.bias = Init.Uniform([out_channels], bound);
            register_parameter("bias", this.bias);
        }
    }

    public long in_channels { get; }
    public long out_channels { get; }
    public long kernel_size { get; }
    public long stride { get; }
    public long padding { get; }
    public long output_padding { get; }
    public long groups { get; }
    public long dilation { get; }
    public Tensor weight { get; }
    public Tensor? bias { get; }

    public override Tensor forward(Tensor input)
    {
        ShapeCheck.NCHW(input, in_channels, name);
        return F.conv_transpose2d(input, weight, bias, stride, padding, output_padding, groups, dilation);
    }
}
