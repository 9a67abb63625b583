using System;

namespace ArchDsl.Runtime;

/// <summary>LayerNorm over the channels of a [B, C, H, W] map, as torchvision's ConvNeXt LayerNorm2d: permute to
/// [B, H, W, C], layer_norm over C, permute back. Parameters <c>weight</c> and <c>bias</c> [C].</summary>
public sealed class LayerNorm2d : Module<Tensor, Tensor>
{
    public LayerNorm2d(long num_channels, double eps = 1e-5, bool elementwise_affine = true, string name = "LayerNorm2d") : base(name)
    {
        if (num_channels <= 0) throw new ArgumentException($"{name}: num_channels must be positive");
        this.num_channels = num_channels;
        this.eps = eps;
        if (elementwise_affine)
        {
            weight = torch.ones([num_channels]);
            bias = torch.zeros([num_channels]);
            register_parameter("weight", weight);
            register_parameter("bias", bias);
        }
    }

    public long num_channels { get; }
    public double eps { get; }
    public Tensor? weight { get; }
    public Tensor? bias { get; }

    public override Tensor forward(Tensor input)
    {
        ShapeCheck.NCHW(input, num_channels, name);
        using var scope = torch.NewDisposeScope();
        var normed = F.layer_norm(input.permute(0, 2, 3, 1), [num_channels], weight, bias, eps);
        return scope.MoveToOuter(normed.permute(0, 3, 1, 2));
    }
}
