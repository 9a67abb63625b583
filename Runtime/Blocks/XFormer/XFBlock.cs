namespace ArchDsl.Runtime.Blocks;

/// <summary>XFormer's XF block: the MobileViT block wrapper (<see cref="MobileViTBlock"/>) with
/// <see cref="CrossFeatureAttention"/> in every encoder.</summary>
public sealed class XFBlock : MobileViTBlock
{
    public XFBlock(long in_channels, long attn_dim, long depth, double ffn_ratio, long patch, bool resize_to_patch,
        double dropout, Activation act, Activation ffn_act, long qkv_dim, long heads, XfaNormAxis l2_axis,
        XfaTemperature temperature, XfaContext context)
        : base("XFBlock", in_channels, attn_dim, depth, ffn_ratio, patch, resize_to_patch, dropout, act, ffn_act,
            () => new CrossFeatureAttention(attn_dim, qkv_dim, heads, l2_axis, temperature, context)) { }
}
