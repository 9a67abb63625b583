using System;

namespace ArchDsl.Runtime.Blocks;

/// <summary>XFormer's MV3 block, MobileNetV3's inverted residual with squeeze-excitation, named like cvnets'
/// InvertedResidualSE: <c>block.exp_1x1</c> (absent when expand = 1), <c>block.conv_3x3</c> depthwise with the stride,
/// <c>block.se</c> on the expanded map, <c>block.red_1x1</c> linear projection; residual when the stride is 1 and the
/// width is unchanged.</summary>
public sealed class MobileNetV3Block : Module<Tensor, Tensor>
{
    private readonly ConvLayer? _expand;
    private readonly ConvLayer _depthwise, _reduce;
    private readonly SqueezeExcitation _se;
    private readonly long _channels;
    private readonly bool _residual;

    public MobileNetV3Block(long in_channels, long out_channels, long stride, double expand, long hidden_divisor,
        double se_ratio, Activation se_act, SeGate se_gate, Activation act) : base("MobileNetV3Block")
    {
        _channels = in_channels;
        long hidden = InvertedResidual.Hidden(in_channels, expand, hidden_divisor);
        long squeeze = Math.Max(1, (long)(in_channels * se_ratio));
        var block = register_module("block", new ModuleDict());
        if (expand != 1)
            _expand = block.register_module("exp_1x1", new ConvLayer(in_channels, hidden, 1, 1, 1, false, true, act));
        _depthwise = block.register_module("conv_3x3", new ConvLayer(hidden, hidden, 3, stride, hidden, false, true, act));
        _se = block.register_module("se", new SqueezeExcitation(hidden, squeeze, se_act, se_gate));
        _reduce = block.register_module("red_1x1", new ConvLayer(hidden, out_channels, 1, 1, 1, false, true, Activation.None));
        _residual = stride == 1 && in_channels == out_channels;
    }

    public override Tensor forward(Tensor x)
    {
        ShapeCheck.NCHW(x, _channels, name);
        using var scope = torch.NewDisposeScope();
        var y = _expand is null ? x : _expand.call(x);
        y = _reduce.call(_se.call(_depthwise.call(y)));
        return scope.MoveToOuter(_residual ? x + y : y);
    }
}
