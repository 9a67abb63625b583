using System;

namespace ArchDsl.Runtime.Blocks;

/// <summary>
/// MatchViT's matching separable self-attention (MaSSA) on tokens [B, d, P, N] (P pixel positions of the patches,
/// N tokens each), in the style of cvnets' LinearSelfAttention. No official code exists; this is the formalisation
/// of the paper's equations:
/// <c>qkv_proj</c> 1×1 d → k + γd + γd + d_v gives I, K, R, V; context scores CS = softmax of I [N × k] (over the N
/// tokens: one distribution per hidden token, as SSA's); context vectors CV = CSᵀK [k × γd]; matching scores
/// MS = softmax(R·CVᵀ) [N × k]; matched context MS·CV [N × γd]; out = <c>out_proj</c>(MS·CV ⊙ relu(V)), 1×1 d_v → d.
/// </summary>
public sealed class MatchingSeparableSelfAttention : Module<Tensor, (Tensor Output, Tensor Context)>
{
    private readonly Conv2d _qkv, _out;
    private readonly long _dim, _hiddenTokens, _contextWidth, _valueWidth;
    private readonly bool _reluV;
    private readonly double? _scale;
    private readonly MassaSoftmaxAxis _contextAxis, _matchAxis;

    public MatchingSeparableSelfAttention(long dim, long hidden_tokens, long context_width, MassaValueWidth value_width,
        MassaSoftmaxAxis context_softmax, MassaSoftmaxAxis match_softmax, bool match_scale, bool relu_v, bool bias) : base("MatchingSeparableSelfAttention")
    {
        long valueWidth = value_width == MassaValueWidth.Model ? dim : context_width;
        if (valueWidth != context_width)
            throw new ArgumentException($"{name}: the matched context vectors are N×{context_width} but V is N×{valueWidth}; " +
                "their element-wise product needs γ = 1 or value_width: context");
        _dim = dim;
        _hiddenTokens = hidden_tokens;
        _contextWidth = context_width;
        _valueWidth = valueWidth;
        _reluV = relu_v;
        _scale = match_scale ? 1.0 / Math.Sqrt(context_width) : null;
        _contextAxis = context_softmax;
        _matchAxis = match_softmax;
        // cvnets ConvLayer2d names: qkv_proj.block.conv, out_proj.block.conv
        _qkv = RegisterAt("qkv_proj.block.conv", new Conv2d(dim, hidden_tokens + 2 * context_width + valueWidth, 1, bias: bias));
        _out = RegisterAt("out_proj.block.conv", new Conv2d(valueWidth, dim, 1, bias: bias));
    }

    /// <summary>The output [B, d, P, N] and the context vectors [B, P, k, γd], which the context-gated FFN of the same
    /// encoder reads. The paper detaches them from the gradient (the FFN's gate passes no gradient back into the
    /// attention), so the context returned here is detached; the output's own path keeps its gradient.</summary>
    public override (Tensor Output, Tensor Context) forward(Tensor x)
    {
        ShapeCheck.NCHW(x, _dim, name);
        using var scope = torch.NewDisposeScope();
        var parts = _qkv.call(x).split([_hiddenTokens, _contextWidth, _contextWidth, _valueWidth], 1);
        var scores = parts[0].softmax(_contextAxis == MassaSoftmaxAxis.Tokens ? -1 : 1);  // [B, k, P, N]
        var context = scores.permute(0, 2, 1, 3).matmul(parts[1].permute(0, 2, 3, 1)); // [B, P, k, γd]
        var logits = parts[2].permute(0, 2, 3, 1).matmul(context.transpose(-2, -1));   // [B, P, N, k]
        if (_scale is double s) logits = logits * s;
        var match = logits.softmax(_matchAxis == MassaSoftmaxAxis.HiddenTokens ? -1 : -2);
        var matched = match.matmul(context).permute(0, 3, 1, 2);                        // [B, γd, P, N]
        var value = _reluV ? parts[3].relu() : parts[3];
        var output = _out.call(matched * value);
        return scope.MoveToOuter(output, context.detach());
    }
}
