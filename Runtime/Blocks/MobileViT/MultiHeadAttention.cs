using System;

namespace ArchDsl.Runtime.Blocks;

/// <summary>
/// cvnets' MultiHeadAttention on tokens [B', N, d]: <c>qkv_proj</c> Linear d→3d whose output features are laid out
/// [q|k|v][head][head_dim], q scaled by head_dim^-0.5, softmax(q·kᵀ) over the keys, ·v, heads concatenated,
/// <c>out_proj</c> Linear d→d. No attention dropout (0 in the MobileViT configs).
/// </summary>
public sealed class MultiHeadAttention : Module<Tensor, Tensor>
{
    private readonly Linear _qkv, _out;
    private readonly long _dim, _heads;

    public MultiHeadAttention(long dim, long heads) : base("MultiHeadAttention")
    {
        if (heads < 1 || dim % heads != 0)
            throw new ArgumentException($"{heads} heads do not divide the attention width {dim}", nameof(heads));
        _dim = dim;
        _heads = heads;
        _qkv = register_module("qkv_proj", new Linear(dim, 3 * dim));
        _out = register_module("out_proj", new Linear(dim, dim));
    }

    public override Tensor forward(Tensor x)
    {
        var s = x.Shape;
        if (s.Length != 3 || s[2] != _dim) throw new ShapeMismatchException(name, $"[B, N, {_dim}]", ShapeCheck.Format(s));
        using var scope = torch.NewDisposeScope();
        long b = s[0], n = s[1], headDim = _dim / _heads;
        var qkv = _qkv.call(x).reshape(b, n, 3, _heads, headDim).permute(2, 0, 3, 1, 4);
        var q = qkv.select(0, 0) * Math.Pow(headDim, -0.5);
        var attention = torch.matmul(q, qkv.select(0, 1).transpose(-2, -1)).softmax(-1);
        var y = torch.matmul(attention, qkv.select(0, 2)).transpose(1, 2).reshape(b, n, _dim);
        return scope.MoveToOuter(_out.call(y));
    }
}
