namespace ArchDsl.Runtime.Blocks;

/// <summary>
/// One MatchViT encoder, the counterpart of cvnets' LinearAttnFFN: x + attention(GN(x)) with <c>pre_norm_attn</c> =
/// [0: GroupNorm(1, d), 1: MaSSA | SSA | MHSA], then x + FFN(GN(x)) with <c>pre_norm_ffn</c> (see
/// <see cref="ContextGatedFfn"/>), which, when context-gated, reads the context vectors the MaSSA of this encoder just
/// computed ("we detach the Context Vectors from its gradients": at inference, as here, detaching changes nothing).
/// </summary>
public sealed class MatchViTEncoder : Module<Tensor, Tensor>
{
    private readonly GroupNorm _attnNorm;
    private readonly Module<Tensor, Tensor> _attn;
    private readonly ContextGatedFfn _ffn;

    public MatchViTEncoder(long dim, MatchViTAttention attention, long hidden_tokens, bool context_gate, long context_width,
        MassaValueWidth value_width, MassaSoftmaxAxis context_softmax, MassaSoftmaxAxis match_softmax, bool match_scale, bool relu_v, long ffn_dim,
        ContextGateOrder gate_order, Activation gate_act, bool gate_bias, bool bias, Activation act) : base("MatchViTEncoder")
    {
        if (context_gate && attention != MatchViTAttention.Massa)
            throw new System.ArgumentException($"{name}: the context-gated FFN reads MaSSA's context vectors, but the attention is {attention}");
        var preNormAttn = register_module("pre_norm_attn", new ModuleDict());
        _attnNorm = preNormAttn.register_module("0", new GroupNorm(1, dim));
        _attn = preNormAttn.register_module("1", attention switch
        {
            MatchViTAttention.Massa => (Module<Tensor, Tensor>)new MatchingSeparableSelfAttention(
                dim, hidden_tokens, context_width, value_width, context_softmax, match_softmax, match_scale, relu_v, bias),
            // cvnets' LinearSelfAttention always has biased projections (the Dsl rejects bias: false with ssa)
            MatchViTAttention.Ssa => new LinearSelfAttention(dim),
            _ => new MultiHeadSelfAttention(dim, hidden_tokens, bias),
        });
        _ffn = register_module("pre_norm_ffn", new ContextGatedFfn(dim, ffn_dim, act, bias, context_gate, hidden_tokens, context_width,
            gate_order, gate_act, gate_bias));
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = torch.NewDisposeScope();
        var normed = _attnNorm.call(x);
        if (_ffn.ContextGated)
        {
            var (mixed, context) = ((MatchingSeparableSelfAttention)_attn).Attend(normed);
            x = x + mixed;
            return scope.MoveToOuter(x + _ffn.Forward(x, context));
        }
        x = x + _attn.call(normed);
        return scope.MoveToOuter(x + _ffn.call(x));
    }
}
