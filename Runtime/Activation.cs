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
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, null),
    };
}
