namespace ArchDsl.Runtime.Blocks;

/// <summary>MobileNetV2's inverted residual as cvnets writes it: <c>block.exp_1x1</c> (absent when expand = 1),
/// <c>block.conv_3x3</c> depthwise with the stride, <c>block.red_1x1</c> linear projection; residual when the
/// stride is 1 and the width is unchanged.</summary>
public sealed class InvertedResidual : Module<Tensor, Tensor>
{
    private readonly ConvLayer? _expand;
    private readonly ConvLayer _depthwise, _reduce;
    private readonly bool _residual;

    public InvertedResidual(long in_channels, long out_channels, long stride, double expand, long hidden_divisor, Activation act)
        : base("InvertedResidual")
    {
        long hidden = Hidden(in_channels, expand, hidden_divisor);
        var block = register_module("block", new ModuleDict());
        if (expand != 1)
            _expand = block.register_module("exp_1x1", new ConvLayer(in_channels, hidden, 1, 1, 1, false, true, act));
        _depthwise = block.register_module("conv_3x3", new ConvLayer(hidden, hidden, 3, stride, hidden, false, true, act));
        _reduce = block.register_module("red_1x1", new ConvLayer(hidden, out_channels, 1, 1, 1, false, true, Activation.None));
        _residual = stride == 1 && in_channels == out_channels;
    }

    /// <summary>The hidden width, computed by the same rule the architecture file's analysis counts with.</summary>
    public static long Hidden(long in_channels, double expand, long hidden_divisor) =>
        Dsl.Blocks.Cvnets.InvertedResidualKind.Hidden(checked((int)in_channels), expand, checked((int)hidden_divisor));

    public override Tensor forward(Tensor x)
    {
        using var scope = torch.NewDisposeScope();
        var y = _expand is null ? x : _expand.call(x);
        y = _reduce.call(_depthwise.call(y));
        return scope.MoveToOuter(_residual ? x + y : y);
    }
}
