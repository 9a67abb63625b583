using System;

namespace ArchDsl.Runtime.Blocks;

/// <summary>
/// The MobileViT block (cvnets MobileViTBlock), also the wrapper of XFormer's XF block (<see cref="XFBlock"/>), which
/// supplies a different attention through the protected constructor:
/// <c>local_rep</c> (<c>conv_3x3</c> full 3×3 C→C with BN and act, <c>conv_1x1</c> 1×1 C→d), unfold into [B·P, N, d]
/// (each of the P = p² pixel positions of a patch is an attention group over the N patches), <c>global_rep</c>
/// (depth × <see cref="TransformerEncoder"/>, then a LayerNorm), fold, <c>conv_proj</c> (1×1 d→C, BN, act),
/// <c>fusion</c> (3×3 on cat(input, projection), BN, act). A map that patches do not tile is resized (bilinear,
/// align_corners false) up to the next multiple before the encoders and back afterwards, as cvnets does, unless
/// resize_to_patch is false.
/// </summary>
public class MobileViTBlock : Module<Tensor, Tensor>
{
    private readonly long _channels, _patch;
    private readonly bool _resize;
    private readonly ConvLayer _local3x3, _local1x1, _proj, _fusion;
    private readonly Sequential _global;

    /// <summary>MobileViT v1: multi-head self-attention in every encoder.</summary>
    public MobileViTBlock(long in_channels, long attn_dim, long depth, double ffn_ratio, long patch, bool resize_to_patch,
        double dropout, Activation act, Activation ffn_act, long heads)
        : this("MobileViTBlock", in_channels, attn_dim, depth, ffn_ratio, patch, resize_to_patch, dropout, act, ffn_act,
            () => new MultiHeadAttention(attn_dim, heads)) { }

    /// <param name="attention">Creates the attention of one encoder: [B·P, N, d] → [B·P, N, d].</param>
    protected MobileViTBlock(string name, long in_channels, long attn_dim, long depth, double ffn_ratio, long patch,
        bool resize_to_patch, double dropout, Activation act, Activation ffn_act, Func<Module<Tensor, Tensor>> attention)
        : base(name)
    {
        _channels = in_channels;
        _patch = patch;
        _resize = resize_to_patch;
        var local = register_module("local_rep", new ModuleDict());
        _local3x3 = local.register_module("conv_3x3", new ConvLayer(in_channels, in_channels, 3, 1, 1, false, true, act));
        _local1x1 = local.register_module("conv_1x1", new ConvLayer(in_channels, attn_dim, 1, 1, 1, false, false, Activation.None));
        long ffn = Dsl.Blocks.MobileViT.MobileViTWrapperKind.FfnWidth(checked((int)attn_dim), ffn_ratio);
        _global = register_module("global_rep", new Sequential());
        for (int i = 0; i < depth; i++)
            _global.append(new TransformerEncoder(attn_dim, ffn, attention(), dropout, ffn_act));
        _global.append(new LayerNorm(attn_dim));
        _proj = register_module("conv_proj", new ConvLayer(attn_dim, in_channels, 1, 1, 1, false, true, act));
        _fusion = register_module("fusion", new ConvLayer(2 * in_channels, in_channels, 3, 1, 1, false, true, act));
    }

    public override Tensor forward(Tensor x)
    {
        ShapeCheck.NCHW(x, _channels, name);
        long h = x.Shape[2], w = x.Shape[3];
        long ph = (h + _patch - 1) / _patch * _patch, pw = (w + _patch - 1) / _patch * _patch;
        bool resize = ph != h || pw != w;
        if (resize && !_resize)
            throw new ShapeMismatchException(name, $"[N, {_channels}, H, W] with H and W multiples of {_patch}", ShapeCheck.Format(x.Shape));

        using var scope = torch.NewDisposeScope();
        var local = _local1x1.call(_local3x3.call(x));
        if (resize) local = F.interpolate(local, size: (ph, pw), mode: InterpolationMode.Bilinear, align_corners: false);
        var folded = FromPatches(_global.call(ToPatches(local, _patch)), x.Shape[0], ph, pw, _patch);
        if (resize) folded = F.interpolate(folded, size: (h, w), mode: InterpolationMode.Bilinear, align_corners: false);
        var y = _fusion.call(torch.cat([x, _proj.call(folded)], 1));
        return scope.MoveToOuter(y);
    }

    /// <summary>[B, d, H, W] → [B·P, N, d], row b·P + (i·p + j) holding pixel (i, j) of every patch in row-major patch
    /// order: cvnets' unfolding.</summary>
    public static Tensor ToPatches(Tensor map, long patch)
    {
        using var scope = torch.NewDisposeScope();
        var s = map.Shape;
        var patches = MobileViTv2Block.Unfold(map, patch).permute(0, 2, 3, 1);
        return scope.MoveToOuter(patches.reshape(s[0] * patch * patch, s[2] * s[3] / (patch * patch), s[1]));
    }

    /// <summary>The inverse of <see cref="ToPatches"/>.</summary>
    public static Tensor FromPatches(Tensor patches, long batch, long height, long width, long patch)
    {
        using var scope = torch.NewDisposeScope();
        var s = patches.Shape;
        var grouped = patches.reshape(batch, patch * patch, s[1], s[2]).permute(0, 3, 1, 2);
        return scope.MoveToOuter(MobileViTv2Block.Fold(grouped, height, width, patch));
    }
}
