using System;

namespace ArchDsl.Runtime.Blocks;

/// <summary>Gate of a squeeze-excitation unit.</summary>
public enum SeGate
{
    /// <summary>SENet's and EfficientNet's sigmoid.</summary>
    Sigmoid,
    /// <summary>MobileNetV3's hard sigmoid, relu6(x + 3) / 6.</summary>
    Hardsigmoid,
}

/// <summary>Squeeze-excitation as cvnets writes it: x · <c>se_layer</c>(x) with se_layer = [global average pool,
/// <c>fc1</c> 1×1 C→squeeze (bias, act), <c>fc2</c> 1×1 squeeze→C (bias), gate].</summary>
public sealed class SqueezeExcitation : Module<Tensor, Tensor>
{
    private readonly long _channels;
    private readonly AdaptiveAvgPool2d _pool;
    private readonly ConvLayer _fc1, _fc2;
    private readonly Module<Tensor, Tensor> _gate;

    public SqueezeExcitation(long channels, long squeeze, Activation act, SeGate gate) : base("SqueezeExcitation")
    {
        _channels = channels;
        var layer = register_module("se_layer", new ModuleDict());
        _pool = layer.register_module("global_pool", new AdaptiveAvgPool2d(1));
        _fc1 = layer.register_module("fc1", new ConvLayer(channels, squeeze, 1, 1, 1, true, false, act));
        _fc2 = layer.register_module("fc2", new ConvLayer(squeeze, channels, 1, 1, 1, true, false, Activation.None));
        _gate = layer.register_module("scale_act", gate switch
        {
            SeGate.Sigmoid => (Module<Tensor, Tensor>)new Sigmoid(),
            SeGate.Hardsigmoid => new Hardsigmoid(),
            _ => throw new ArgumentOutOfRangeException(nameof(gate), gate, null),
        });
    }

    public override Tensor forward(Tensor x)
    {
        ShapeCheck.NCHW(x, _channels, name);
        using var scope = torch.NewDisposeScope();
        var weights = _gate.call(_fc2.call(_fc1.call(_pool.call(x))));
        return scope.MoveToOuter(x * weights);
    }
}
