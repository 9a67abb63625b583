using System;

namespace ArchDsl.Runtime.Blocks;

/// <summary>
/// MobileViTv2's block (cvnets MobileViTBlockv2): resize to a multiple of the patch if needed (bilinear,
/// align_corners, kept), <c>local_rep</c> (3×3 depthwise ConvLayer, 1×1 ConvLayer to d), unfold into
/// [B, d, P, N], <c>global_rep</c> (depth × pre-norm separable attention and FFN, then a final GroupNorm),
/// fold, <c>conv_proj</c> (1×1 ConvLayer with BN) back to C. No residual around the block.
/// </summary>
public sealed class MobileViTv2Block : Module<Tensor, Tensor>
{
    private readonly long _channels, _patch;
    private readonly bool _resize;
    private readonly Sequential _local;
    private readonly Sequential _global;
    private readonly ConvLayer _proj;

    public MobileViTv2Block(long in_channels, long attn_dim, long depth, double ffn_ratio, long ffn_divisor, long patch,
        bool resize_to_patch, AttentionNorm attn_norm, Activation act) : base("MobileViTv2Block")
    {
        _ = attn_norm; // one choice today: GroupNorm(1, d)
        _channels = in_channels;
        _patch = patch;
        _resize = resize_to_patch;
        _local = register_module("local_rep", new Sequential(
            new ConvLayer(in_channels, in_channels, 3, 1, in_channels, false, true, act),
            new ConvLayer(in_channels, attn_dim, 1, 1, 1, false, false, Activation.None)));
        long ffn = Dsl.Blocks.Cvnets.MobileViTv2BlockKind.FfnWidth(checked((int)attn_dim), ffn_ratio, checked((int)ffn_divisor));
        _global = register_module("global_rep", new Sequential());
        for (int i = 0; i < depth; i++)
            _global.append(new LinearAttnFfn(attn_dim, ffn, act));
        _global.append(new GroupNorm(1, attn_dim));
        _proj = register_module("conv_proj", new ConvLayer(attn_dim, in_channels, 1, 1, 1, false, true, Activation.None));
    }

    public override Tensor forward(Tensor x)
    {
        ShapeCheck.NCHW(x, _channels, name);
        using var scope = torch.NewDisposeScope();
        long h = x.Shape[2], w = x.Shape[3];
        if (h % _patch != 0 || w % _patch != 0)
        {
            if (!_resize)
                throw new ShapeMismatchException(name, $"[N, {_channels}, H, W] with H and W multiples of {_patch}", ShapeCheck.Format(x.Shape));
            h = (h + _patch - 1) / _patch * _patch;
            w = (w + _patch - 1) / _patch * _patch;
            x = F.interpolate(x, size: (h, w), mode: InterpolationMode.Bilinear, align_corners: true);
        }
        var patches = Unfold(_local.call(x), _patch);
        var folded = Fold(_global.call(patches), h, w, _patch);
        return scope.MoveToOuter(_proj.call(folded));
    }

    /// <summary>[B, C, H, W] → [B, C, p², HW/p²]: element [b, c, i·p + j, n] is pixel (p·(n / nW) + i, p·(n % nW) + j),
    /// the layout of cvnets' F.unfold-based unfolding.</summary>
    public static Tensor Unfold(Tensor x, long p)
    {
        var s = x.Shape;
        long b = s[0], c = s[1], nh = s[2] / p, nw = s[3] / p;
        return x.reshape(b, c, nh, p, nw, p).permute(0, 1, 3, 5, 2, 4).reshape(b, c, p * p, nh * nw);
    }

    public static Tensor Fold(Tensor patches, long h, long w, long p)
    {
        var s = patches.Shape;
        long b = s[0], c = s[1], nh = h / p, nw = w / p;
        return patches.reshape(b, c, p, p, nh, nw).permute(0, 1, 4, 2, 5, 3).reshape(b, c, h, w);
    }

    /// <summary>cvnets LinearAttnFFN: x + attention(GN(x)) via <c>pre_norm_attn</c> = [GN, attention, dropout];
    /// then x + FFN(GN(x)) via <c>pre_norm_ffn</c> = [GN, 1×1 conv + act, dropout, 1×1 conv, dropout].</summary>
    private sealed class LinearAttnFfn : Module<Tensor, Tensor>
    {
        private readonly Sequential _attn, _ffn;

        public LinearAttnFfn(long d, long ffn, Activation act) : base("LinearAttnFFN")
        {
            _attn = register_module("pre_norm_attn", new Sequential(new GroupNorm(1, d), new LinearSelfAttention(d), new Dropout(0)));
            _ffn = register_module("pre_norm_ffn", new Sequential(
                new GroupNorm(1, d),
                new ConvLayer(d, ffn, 1, 1, 1, true, false, act),
                new Dropout(0),
                new ConvLayer(ffn, d, 1, 1, 1, true, false, Activation.None),
                new Dropout(0)));
        }

        public override Tensor forward(Tensor x)
        {
            using var scope = torch.NewDisposeScope();
            x = x + _attn.call(x);
            return scope.MoveToOuter(x + _ffn.call(x));
        }
    }
}
