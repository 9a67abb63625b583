using System;

namespace ArchDsl.Runtime.Blocks;

/// <summary>Axis of XFA's L2 normalisation of Q and K (the paper: "along feature dimension D", citing XCiT).</summary>
public enum XfaNormAxis
{
    /// <summary>Each feature channel over the N tokens, as XCiT's F.normalize(q.transpose(-2, -1), dim=-1).</summary>
    Tokens,
    /// <summary>Each token's feature vector.</summary>
    Features,
}

/// <summary>Granularity of XFA's learnable temperature λ.</summary>
public enum XfaTemperature
{
    /// <summary>One per head, shape [heads, 1, 1], as XCiT.</summary>
    PerHead,
    /// <summary>One per layer, shape [1].</summary>
    PerLayer,
}

/// <summary>How XFA's query context scores K̂_c = W_c·K̂ weigh the N tokens; the paper's W_c ∈ ℝ^{1×N} is tied to
/// N, yet the model runs at any resolution, so it is read as one of these.</summary>
public enum XfaContext
{
    /// <summary>W_c = softmax over N of K̂·w_cᵀ with a learned w_c ∈ ℝ^{1×D} (<c>context_score</c>).</summary>
    SoftmaxPool,
    /// <summary>W_c = 1/N: the mean over tokens, no parameters.</summary>
    Mean,
}

/// <summary>
/// XFormer's cross feature attention (XFA, Eqs. 2–5) on tokens [B', N, d], per head of width D = qkv_dim / heads:
/// <c>qkv_proj</c> Linear d→3·qkv_dim ([q|k|v][head][D]); Q̂, K̂ L2-normalised along the chosen axis;
/// K̂_f = <c>feature_score</c>(K̂) [N, 1] (W_f ∈ ℝ^{1×D}); K̂_c = W_c·K̂ [1, D]; the rank-one D×D map
/// λ·(Q̂ᵀK̂_f)·K̂_c, multiplied into V (no softmax); heads concatenated; <c>out_proj</c> Linear qkv_dim→d.
/// </summary>
public sealed class CrossFeatureAttention : Module<Tensor, Tensor>
{
    private readonly Tensor _temperature;
    private readonly Linear _qkv, _featureScore, _out;
    private readonly Linear? _contextScore;
    private readonly long _dim, _qkvDim, _heads;
    private readonly XfaNormAxis _axis;

    public CrossFeatureAttention(long dim, long qkv_dim, long heads, XfaNormAxis l2_axis, XfaTemperature temperature, XfaContext context)
        : base("CrossFeatureAttention")
    {
        if (heads < 1 || qkv_dim % heads != 0)
            throw new ArgumentException($"{heads} heads do not divide the Q-K-V width {qkv_dim}", nameof(heads));
        _dim = dim;
        _qkvDim = qkv_dim;
        _heads = heads;
        _axis = l2_axis;
        long head = qkv_dim / heads;
        _temperature = torch.ones(temperature == XfaTemperature.PerHead ? [heads, 1, 1] : [1]);
        register_parameter("temperature", _temperature);
        _qkv = register_module("qkv_proj", new Linear(dim, 3 * qkv_dim));
        _featureScore = register_module("feature_score", new Linear(head, 1, bias: false));
        if (context == XfaContext.SoftmaxPool)
            _contextScore = register_module("context_score", new Linear(head, 1, bias: false));
        _out = register_module("out_proj", new Linear(qkv_dim, dim));
    }

    public override Tensor forward(Tensor x)
    {
        var s = x.Shape;
        if (s.Length != 3 || s[2] != _dim) throw new ShapeMismatchException(name, $"[B, N, {_dim}]", ShapeCheck.Format(s));
        using var scope = torch.NewDisposeScope();
        long b = s[0], n = s[1];
        var qkv = _qkv.call(x).reshape(b, n, 3, _heads, _qkvDim / _heads).permute(2, 0, 3, 1, 4);   // [3, B', heads, N, D]
        long axis = _axis == XfaNormAxis.Tokens ? -2 : -1;
        var q = F.normalize(qkv.select(0, 0), dim: axis);
        var k = F.normalize(qkv.select(0, 1), dim: axis);

        var featureScores = _featureScore.call(k);                                   // K̂_f [B', heads, N, 1]
        var contextScores = _contextScore is null
            ? k.mean(-2, keepdim: true)                                              // K̂_c [B', heads, 1, D]
            : torch.matmul(_contextScore.call(k).softmax(-2).transpose(-2, -1), k);
        var queryScores = torch.matmul(q.transpose(-2, -1), featureScores) * _temperature;   // λ·Q̂ᵀK̂_f [B', heads, D, 1]
        var map = torch.matmul(queryScores, contextScores);                         // [B', heads, D, D]
        var y = torch.matmul(qkv.select(0, 2), map).transpose(1, 2).reshape(b, n, _qkvDim);
        return scope.MoveToOuter(_out.call(y));
    }
}
