using System;

namespace ArchDsl.Runtime;

/// <summary>A learnable position embedding added to [B, tokens, dim]: one parameter [1, tokens, dim] under
/// <see cref="tensor_name"/>, initialised normal(std 0.02) as torchvision's ViT does.</summary>
public sealed class PositionEmbedding : Module<Tensor, Tensor>
{
    public PositionEmbedding(long tokens, long dim, string tensor_name = "pos_embedding") : base("PositionEmbedding")
    {
        if (tokens <= 0 || dim <= 0) throw new ArgumentException($"{name}: tokens and dim must be positive");
        this.tokens = tokens;
        this.dim = dim;
        this.tensor_name = tensor_name;
        using (var normal = torch.randn([1, tokens, dim])) embedding = normal * 0.02;
        register_parameter(tensor_name, embedding);
    }

    public long tokens { get; }
    public long dim { get; }
    public string tensor_name { get; }
    public Tensor embedding { get; }

    public override Tensor forward(Tensor input)
    {
        var s = input.Shape;
        if (s.Length != 3 || s[1] != tokens || s[2] != dim) throw new ShapeMismatchException(name, $"[B, {tokens}, {dim}]", ShapeCheck.Format(s));
        return input + embedding;
    }
}
