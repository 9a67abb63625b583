namespace ArchDsl.Runtime.Blocks;

/// <summary>
/// LightViT's classification head: <c>norm</c> (LayerNorm) and <c>neck</c> (Linear, LayerNorm, GELU) on every token,
/// the T global tokens included, then the mean over all tokens and the classifier <c>head</c>.
/// Registered inline by the generated model, so its keys are the official top-level norm, neck.0, neck.1, head.
/// </summary>
public sealed class LightViTHead : Module<TokenState, Tensor>
{
    private readonly long _channels;
    private readonly LayerNorm _norm;
    private readonly Sequential _neck;
    private readonly Linear _head;

    public LightViTHead(long in_channels, long neck, long classes, double norm_eps, double neck_norm_eps) : base("LightViTHead")
    {
        _channels = in_channels;
        _norm = register_module("norm", new LayerNorm(in_channels, norm_eps));
        _neck = register_module("neck", new Sequential(new Linear(in_channels, neck), new LayerNorm(neck, neck_norm_eps), new GELU()));
        _head = register_module("head", new Linear(neck, classes));
    }

    public override Tensor forward(TokenState x)
    {
        TokenStateCheck.Require(x, _channels, name);
        using var scope = torch.NewDisposeScope();
        var pooled = _neck.call(_norm.call(x.Tokens)).mean(1);
        return scope.MoveToOuter(_head.call(pooled));
    }
}
