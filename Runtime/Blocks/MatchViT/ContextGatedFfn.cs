using System;

namespace ArchDsl.Runtime.Blocks;

/// <summary>
/// MatchViT's FFN on tokens [B, d, P, N] with its pre-norm, named like cvnets' <c>pre_norm_ffn</c> Sequential
/// (<c>0</c> GroupNorm(1, d), <c>1</c> 1×1 d→λd with the activation, <c>3</c> 1×1 λd→d; 2 and 4 are cvnets'
/// parameter-free dropouts, p = 0 at inference). Context-gated (Eq. 5): y = (σ(x W₁) ⊙ σ_g(x W_k · cv W_cv)) W₂ with
/// <c>gate_in</c> = W_k (1×1 d→k) and <c>context_proj</c> = W_cv, b_cv (linear γd→λd), cv the k context vectors
/// [B, P, k, γd] of the MaSSA of the same encoder. Without the gate it is cvnets' FFN.
/// </summary>
public sealed class ContextGatedFfn : Module<Tensor, Tensor>
{
    private readonly GroupNorm _norm;
    private readonly ConvLayer _expand, _reduce;
    private readonly ConvLayer? _gateIn;
    private readonly Linear? _contextProj;
    private readonly Module<Tensor, Tensor>? _gateAct;
    private readonly ContextGateOrder _order;
    private readonly long _dim, _hiddenTokens, _contextWidth;

    /// <param name="hidden_tokens">k; with <paramref name="context_width"/> only read when <paramref name="context_gate"/>.</param>
    public ContextGatedFfn(long dim, long ffn_dim, Activation act, bool bias, bool context_gate, long hidden_tokens, long context_width,
        ContextGateOrder gate_order, Activation gate_act, bool gate_bias) : base("ContextGatedFfn")
    {
        _dim = dim;
        _hiddenTokens = hidden_tokens;
        _contextWidth = context_width;
        _order = gate_order;
        _norm = register_module("0", new GroupNorm(1, dim));
        _expand = register_module("1", new ConvLayer(dim, ffn_dim, 1, 1, 1, bias, false, act));
        _reduce = register_module("3", new ConvLayer(ffn_dim, dim, 1, 1, 1, bias, false, Activation.None));
        if (context_gate)
        {
            _gateIn = register_module("gate_in", new ConvLayer(dim, hidden_tokens, 1, 1, 1, gate_bias, false, Activation.None));
            _contextProj = register_module("context_proj", new Linear(context_width, ffn_dim, bias));
            if (gate_act != Activation.None) _gateAct = register_module("gate_act", Activations.Create(gate_act));
        }
    }

    public bool ContextGated => _gateIn != null;

    /// <summary>The plain FFN; a context-gated one needs the context vectors (<see cref="Forward(Tensor, Tensor)"/>).</summary>
    public override Tensor forward(Tensor x)
    {
        if (ContextGated)
            throw new InvalidOperationException($"{name}: the context-gated FFN needs the MaSSA context vectors; call Forward(x, context)");
        ShapeCheck.NCHW(x, _dim, name);
        using var scope = torch.NewDisposeScope();
        return scope.MoveToOuter(_reduce.call(_expand.call(_norm.call(x))));
    }

    /// <param name="x">tokens [B, d, P, N] (before the norm).</param>
    /// <param name="context">the context vectors [B, P, k, γd].</param>
    public Tensor Forward(Tensor x, Tensor context)
    {
        if (!ContextGated) return forward(x);
        ShapeCheck.NCHW(x, _dim, name);
        var s = x.Shape;
        long[] expected = [s[0], s[2], _hiddenTokens, _contextWidth];
        if (!context.Shape.AsSpan().SequenceEqual(expected))
            throw new ShapeMismatchException(name + " (context vectors)", ShapeCheck.Format(expected), ShapeCheck.Format(context.Shape));
        using var scope = torch.NewDisposeScope();
        var normed = _norm.call(x);
        var hidden = _expand.call(normed);                                  // σ(x W₁)  [B, λd, P, N]
        var weights = _gateIn!.call(normed).permute(0, 2, 3, 1);           // x W_k    [B, P, N, k]
        var gate = _order == ContextGateOrder.ContextFirst
            ? weights.matmul(_contextProj!.call(context))                   // (x W_k)(cv W_cv + b_cv)
            : _contextProj!.call(weights.matmul(context));                  // ((x W_k) cv) W_cv + b_cv
        gate = gate.permute(0, 3, 1, 2);                                    // [B, λd, P, N]
        if (_gateAct != null) gate = _gateAct.call(gate);
        return scope.MoveToOuter(_reduce.call(hidden * gate));
    }
}
