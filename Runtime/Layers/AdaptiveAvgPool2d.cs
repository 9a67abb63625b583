namespace ArchDsl.Runtime;

/// <summary>Average pooling of (N, C, H, W) to a fixed output size.</summary>
public sealed class AdaptiveAvgPool2d : Module<Tensor, Tensor>
{
    public AdaptiveAvgPool2d(long output_size, string name = "AdaptiveAvgPool2d") : this((output_size, output_size), name) { }

    public AdaptiveAvgPool2d((long h, long w) output_size, string name = "AdaptiveAvgPool2d") : base(name) => this.output_size = output_size;

    public (long h, long w) output_size { get; }

    public override Tensor forward(Tensor input) => F.adaptive_avg_pool2d(input, output_size);
}
