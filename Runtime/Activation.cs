using System;

namespace ArchDsl.Runtime;

/// <summary>The activations an architecture file can name (act: relu | gelu | silu | …).</summary>
public enum Activation
{
    Relu,
    /// <summary>Exact (erf) GELU, PyTorch's default.</summary>
    Gelu,
    /// <summary>x·sigmoid(x), cvnets' "swish".</summary>
    Silu,
    Sigmoid,
    Hardswish,
    None,
    // appended after None so the earlier members keep their numeric values
    /// <summary>min(max(x, 0), 6), MobileNet's activation.</summary>
    Relu6,
    Tanh,
    /// <summary>relu6(x + 3) / 6, MobileNetV3's gate.</summary>
    Hardsigmoid,
}

public static class Activations
{
    /// <summary>The activation as a module (Identity for None), so it takes its place in an nn.Sequential numbering.</summary>
    public static Module<Tensor, Tensor> Create(Activation activation) => activation switch
    {
        Activation.Relu => new ReLU(),
        Activation.Gelu => new GELU(),
        Activation.Silu => new SiLU(),
        Activation.Sigmoid => new Sigmoid(),
        Activation.Hardswish => new Hardswish(),
        Activation.None => new Identity(),
        Activation.Relu6 => new ReLU6(),
        Activation.Tanh => new Tanh(),
        Activation.Hardsigmoid => new Hardsigmoid(),
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, null),
    };
}
