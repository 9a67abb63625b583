using System;

namespace ArchDsl.Runtime;

/// <summary>
/// nn.MultiheadAttention used as self-attention with batch_first=True on [B, N, E], returning the attention output
/// only (torchvision ViT's <c>self_attention(x, x, x, need_weights=False)</c>). Keys as in PyTorch: <c>in_proj_weight</c>
/// [3E, E], <c>in_proj_bias</c> [3E] (with bias), <c>out_proj.weight</c>, <c>out_proj.bias</c>. q, k, v come from one
/// projection split along the features, each head of width E/h attends with softmax(q·kᵀ/sqrt(E/h)) (dropout on the
/// weights in training mode), and the heads are concatenated before <c>out_proj</c>.
/// </summary>
public sealed class MultiheadAttention : Module<Tensor, Tensor>
{
    public MultiheadAttention(long embed_dim, long num_heads, double dropout = 0.0, bool bias = true, string name = "MultiheadAttention")
        : base(name)
    {
        if (embed_dim <= 0 || num_heads <= 0 || embed_dim % num_heads != 0)
            throw new ArgumentException($"{name}: num_heads ({num_heads}) must be positive and divide embed_dim ({embed_dim})", nameof(num_heads));
        if (dropout is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(dropout), dropout, "dropout probability must be in [0, 1]");
        this.embed_dim = embed_dim;
        this.num_heads = num_heads;
        this.dropout = dropout;
        head_dim = embed_dim / num_heads;
        // PyTorch's order of draws: out_proj (a Linear) is built in __init__, then _reset_parameters draws
        // xavier_uniform_(in_proj_weight) and zeroes both biases
        var outProj = new Linear(embed_dim, embed_dim, bias);
        in_proj_weight = Init.Uniform([3 * embed_dim, embed_dim], Math.Sqrt(6.0 / (embed_dim + 3 * embed_dim)));
        register_parameter("in_proj_weight", in_proj_weight);
        if (bias)
        {
            in_proj_bias = torch.zeros([3 * embed_dim]);
            register_parameter("in_proj_bias", in_proj_bias);
            using var write = GradMode.ForParameterWrites();
            outProj.bias!.fill_(0.0);
        }
        out_proj = register_module("out_proj", outProj);
    }

    public long embed_dim { get; }
    public long num_heads { get; }
    public long head_dim { get; }
    public double dropout { get; }
    public Tensor in_proj_weight { get; }
    public Tensor? in_proj_bias { get; }
    public Linear out_proj { get; }

    public override Tensor forward(Tensor input)
    {
        var s = input.Shape;
        if (s.Length != 3 || s[2] != embed_dim) throw new ShapeMismatchException(name, $"[B, N, {embed_dim}]", ShapeCheck.Format(s));
        long b = s[0], n = s[1];
        using var scope = torch.NewDisposeScope();
        var qkv = Linear.Product(this, input, in_proj_weight, in_proj_bias).chunk(3, -1);
        var attended = F.scaled_dot_product_attention(Heads(qkv[0], b, n), Heads(qkv[1], b, n), Heads(qkv[2], b, n),
            training ? dropout : 0.0);
        var merged = attended.transpose(1, 2).reshape(b, n, embed_dim);
        return scope.MoveToOuter(out_proj.call(merged));
    }

    /// <summary>[B, N, E] → [B, h, N, E/h].</summary>
    private Tensor Heads(Tensor x, long b, long n) => x.reshape(b, n, num_heads, head_dim).transpose(1, 2);
}
