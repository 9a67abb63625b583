namespace ArchDsl.Runtime.Blocks;

/// <summary>
/// cvnets' pre-norm TransformerEncoder on tokens [B', N, d]: x + <c>pre_norm_mha</c>(x) with pre_norm_mha =
/// [LayerNorm, attention, Dropout]; then x + <c>pre_norm_ffn</c>(x) with pre_norm_ffn = [LayerNorm, Linear d→ffn, act,
/// Dropout(0) (cvnets' ffn_dropout, 0 in the MobileViT configs), Linear ffn→d, Dropout].
/// </summary>
public sealed class TransformerEncoder : Module<Tensor, Tensor>
{
    private readonly Sequential _attention, _ffn;

    public TransformerEncoder(long dim, long ffn_dim, Module<Tensor, Tensor> attention, double dropout, Activation ffn_act)
        : base("TransformerEncoder")
    {
        _attention = register_module("pre_norm_mha", new Sequential(new LayerNorm(dim), attention, new Dropout(dropout)));
        _ffn = register_module("pre_norm_ffn", new Sequential(
            new LayerNorm(dim),
            new Linear(dim, ffn_dim),
            Activations.Create(ffn_act),
            new Dropout(0),
            new Linear(ffn_dim, dim),
            new Dropout(dropout)));
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = torch.NewDisposeScope();
        x = x + _attention.call(x);
        return scope.MoveToOuter(x + _ffn.call(x));
    }
}
