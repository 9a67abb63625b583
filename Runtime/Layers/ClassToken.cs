using System;

namespace ArchDsl.Runtime;

/// <summary>Learnable tokens prepended to a token sequence: one parameter [1, count, dim] (zeros) under
/// <see cref="tensor_name"/>; forward([B, N, dim]) = cat([token.expand(B, count, dim), x], 1). Registered inline by
/// its parent, the tensor name is the state_dict key (torchvision ViT's <c>class_token</c>, LightViT's
/// <c>global_token</c>).</summary>
public sealed class ClassToken : Module<Tensor, Tensor>
{
    public ClassToken(long dim, long count = 1, string tensor_name = "class_token") : base("ClassToken")
    {
        if (dim <= 0 || count <= 0) throw new ArgumentException($"{name}: dim and count must be positive");
        this.dim = dim;
        this.count = count;
        this.tensor_name = tensor_name;
        token = torch.zeros([1, count, dim]);
        register_parameter(tensor_name, token);
    }

    public long dim { get; }
    public long count { get; }
    public string tensor_name { get; }
    public Tensor token { get; }

    public override Tensor forward(Tensor input)
    {
        var s = input.Shape;
        if (s.Length != 3 || s[2] != dim) throw new ShapeMismatchException(name, $"[B, N, {dim}]", ShapeCheck.Format(s));
        using var expanded = token.expand(s[0], count, dim);
        return torch.cat([expanded, input], 1);
    }
}
