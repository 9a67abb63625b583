using System;

namespace ArchDsl.Runtime.Blocks;

/// <summary>
/// Standard multi-head self-attention on tokens [B, d, P, N], for MatchViT's MHSA ablation (Table 4) inside the same
/// block shell: <c>qkv_proj</c> 1×1 d→3d, per head and pixel position softmax(QKᵀ/√(d/h))·V over the N tokens,
/// <c>out_proj</c> 1×1 d→d. The projections are 1×1 ConvLayers like cvnets' LinearSelfAttention, so the encoder keeps
/// the [B, d, P, N] layout (same parameters and MACs as cvnets' Linear-based MultiHeadAttention).
/// </summary>
public sealed class MultiHeadSelfAttention : Module<Tensor, Tensor>
{
    private readonly ConvLayer _qkv, _out;
    private readonly long _dim, _heads;
    private readonly double _scale;

    public MultiHeadSelfAttention(long dim, long heads, bool bias) : base("MultiHeadSelfAttention")
    {
        if (heads < 1 || dim % heads != 0) throw new ArgumentException($"{name}: {heads} heads do not divide the width {dim}");
        _dim = dim;
        _heads = heads;
        _scale = 1.0 / Math.Sqrt(dim / heads);
        _qkv = register_module("qkv_proj", new ConvLayer(dim, 3 * dim, 1, 1, 1, bias, false, Activation.None));
        _out = register_module("out_proj", new ConvLayer(dim, dim, 1, 1, 1, bias, false, Activation.None));
    }

    public override Tensor forward(Tensor x)
    {
        ShapeCheck.NCHW(x, _dim, name);
        using var scope = torch.NewDisposeScope();
        long b = x.Shape[0], p = x.Shape[2], n = x.Shape[3], headDim = _dim / _heads;
        // [B, 3, h, d/h, P, N] → q, k, v as [B, P, h, N, d/h]
        var qkv = _qkv.call(x).reshape(b, 3, _heads, headDim, p, n).permute(1, 0, 4, 2, 5, 3);
        var q = qkv.select(0, 0);
        var k = qkv.select(0, 1);
        var v = qkv.select(0, 2);
        var attention = (q.matmul(k.transpose(-2, -1)) * _scale).softmax(-1);   // [B, P, h, N, N]
        var mixed = attention.matmul(v).permute(0, 2, 4, 1, 3).reshape(b, _dim, p, n);
        return scope.MoveToOuter(_out.call(mixed));
    }
}
