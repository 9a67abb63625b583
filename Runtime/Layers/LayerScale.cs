using System;

namespace ArchDsl.Runtime;

/// <summary>A learnable per-channel scale filled with <see cref="init_value"/>: shape [dim, 1, 1] applied to
/// [B, C, H, W] when <see cref="channels_first"/> (torchvision ConvNeXt's <c>layer_scale</c>), else [dim] applied to
/// the last dimension (timm's LayerScale on [B, N, C]). One parameter under <see cref="tensor_name"/>.</summary>
public sealed class LayerScale : Module<Tensor, Tensor>
{
    public LayerScale(long dim, double init_value, bool channels_first, string tensor_name = "gamma") : base("LayerScale")
    {
        if (dim <= 0) throw new ArgumentException($"{name}: dim must be positive");
        this.dim = dim;
        this.init_value = init_value;
        this.channels_first = channels_first;
        this.tensor_name = tensor_name;
        scale = torch.full(channels_first ? [dim, 1, 1] : [dim], init_value);
        register_parameter(tensor_name, scale);
    }

    public long dim { get; }
    public double init_value { get; }
    public bool channels_first { get; }
    public string tensor_name { get; }
    public Tensor scale { get; }

    public override Tensor forward(Tensor input)
    {
        if (channels_first) ShapeCheck.NCHW(input, dim, name);
        else ShapeCheck.LastDim(input, dim, name);
        return input * scale;
    }
}
