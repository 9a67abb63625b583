namespace ArchDsl.Runtime.Blocks;

/// <summary>Patch-embedding downsample: conv <c>proj</c> then BatchNorm <c>norm</c> (CAS-ViT's Embedding).</summary>
public sealed class Embedding : Module<Tensor, Tensor>
{
    private readonly Conv2d _proj;
    private readonly BatchNorm2d _norm;

    public Embedding(long in_channels, long out_channels, long kernel_size, long stride, long padding, bool bias) : base("Embedding")
    {
        _proj = register_module("proj", new Conv2d(in_channels, out_channels, kernel_size, stride, padding, bias: bias));
        _norm = register_module("norm", new BatchNorm2d(out_channels));
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = torch.NewDisposeScope();
        return scope.MoveToOuter(_norm.call(_proj.call(x)));
    }
}
