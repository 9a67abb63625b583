using System;

namespace ArchDsl.Runtime;

/// <summary>Normalises over the trailing <see cref="normalized_shape"/> dimensions; weight and bias have that shape.</summary>
public sealed class LayerNorm : Module<Tensor, Tensor>
{
    public LayerNorm(long normalized_shape, double eps = 1e-5, bool elementwise_affine = true, string name = "LayerNorm")
        : this([normalized_shape], eps, elementwise_affine, name) { }

    public LayerNorm(long[] normalized_shape, double eps = 1e-5, bool elementwise_affine = true, string name = "LayerNorm") : base(name)
    {
        if (normalized_shape.Length == 0 || Array.Exists(normalized_shape, s => s <= 0))
            throw new ArgumentException($"{name}: normalized_shape must be non-empty and positive");
        this.normalized_shape = (long[])normalized_shape.Clone();
        this.eps = eps;
        if (elementwise_affine)
        {
            weight = torch.ones(this.normalized_shape);
            bias = torch.zeros(this.normalized_shape);
            register_parameter("weight", weight);
            register_parameter("bias", bias);
        }
    }

    public long[] normalized_shape { get; }
    public double eps { get; }
    public Tensor? weight { get; }
    public Tensor? bias { get; }

    public override Tensor forward(Tensor input)
    {
        ShapeCheck.Trailing(input, normalized_shape, name);
        return F.layer_norm(input, normalized_shape, weight, bias, eps);
    }
}
