namespace ArchDsl.Runtime.Blocks;

/// <summary>cvnets' ConvLayer2d: <c>block.conv</c>, optional BatchNorm <c>block.norm</c>, optional activation
/// <c>block.act</c>; padding (k−1)/2.</summary>
public sealed class ConvLayer : Module<Tensor, Tensor>
{
    private readonly Conv2d _conv;
    private readonly BatchNorm2d? _norm;
    private readonly Module<Tensor, Tensor>? _act;

    public ConvLayer(long in_channels, long out_channels, long kernel_size, long stride, long groups, bool bias, bool norm, Activation act)
        : base("ConvLayer")
    {
        var block = register_module("block", new ModuleDict());
        _conv = block.register_module("conv", new Conv2d(in_channels, out_channels, kernel_size, stride, (kernel_size - 1) / 2, groups: groups, bias: bias));
        if (norm) _norm = block.register_module("norm", new BatchNorm2d(out_channels));
        if (act != Activation.None) _act = block.register_module("act", Activations.Create(act));
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = torch.NewDisposeScope();
        var y = _conv.call(x);
        if (_norm != null) y = _norm.call(y);
        if (_act != null) y = _act.call(y);
        return scope.MoveToOuter(y);
    }
}
