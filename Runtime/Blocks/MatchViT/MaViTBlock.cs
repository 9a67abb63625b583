using System;

namespace ArchDsl.Runtime.Blocks;

/// <summary>
/// MatchViT's block ("MaViT"), the cvnets MobileViTBlockv2 shell with MatchViT encoders: <c>local_rep</c> (3×3 depthwise
/// ConvLayer with BN and act, 1×1 ConvLayer C→d: the "separable convolution" encoding position), tokens [B, d, P, N]
/// (patch 1: pixels; patch p: cvnets' p×p unfolding), <c>global_rep</c> (depth × <see cref="MatchViTEncoder"/>, then
/// GroupNorm(1, d)), fold, <c>conv_proj</c> (1×1 ConvLayer d→C with BN). No residual around the block. Patches must
/// tile the map: unlike cvnets' MobileViTv2 there is no resizing.
/// </summary>
public sealed class MaViTBlock : Module<Tensor, Tensor>
{
    private readonly long _channels, _patch;
    private readonly Sequential _local, _global;
    private readonly ConvLayer _proj;

    public MaViTBlock(long in_channels, long attn_dim, long depth, long hidden_tokens, MatchViTAttention attention, bool context_gate,
        double gamma, MassaValueWidth value_width, MassaSoftmaxAxis context_softmax, MassaSoftmaxAxis match_softmax, bool match_scale, bool relu_v, long patch,
        double ffn_ratio, long ffn_divisor, ContextGateOrder gate_order, Activation gate_act, bool gate_bias, bool bias,
        AttentionNorm attn_norm, Activation act) : base("MaViTBlock")
    {
        _ = attn_norm; // one choice today: GroupNorm(1, d)
        _channels = in_channels;
        _patch = patch;
        double contextWidth = gamma * attn_dim;
        if (attention == MatchViTAttention.Massa && Math.Abs(contextWidth - Math.Round(contextWidth)) > 1e-9)
            throw new ArgumentException($"{name}: γ·d = {gamma} × {attn_dim} is not a whole number of channels");
        long ffn = Dsl.Blocks.Cvnets.MobileViTv2BlockKind.FfnWidth(checked((int)attn_dim), ffn_ratio, checked((int)ffn_divisor));
        _local = register_module("local_rep", new Sequential(
            new ConvLayer(in_channels, in_channels, 3, 1, in_channels, false, true, act),
            new ConvLayer(in_channels, attn_dim, 1, 1, 1, false, false, Activation.None)));
        _global = register_module("global_rep", new Sequential());
        for (int i = 0; i < depth; i++)
            _global.append(new MatchViTEncoder(attn_dim, attention, hidden_tokens, context_gate, (long)Math.Round(contextWidth), value_width,
                context_softmax, match_softmax, match_scale, relu_v, ffn, gate_order, gate_act, gate_bias, bias, act));
        _global.append(new GroupNorm(1, attn_dim));
        _proj = register_module("conv_proj", new ConvLayer(attn_dim, in_channels, 1, 1, 1, false, true, Activation.None));
    }

    public override Tensor forward(Tensor x)
    {
        ShapeCheck.NCHW(x, _channels, name);
        long h = x.Shape[2], w = x.Shape[3];
        if (h % _patch != 0 || w % _patch != 0)
            throw new ShapeMismatchException(name, $"[N, {_channels}, H, W] with H and W multiples of {_patch}", ShapeCheck.Format(x.Shape));
        using var scope = torch.NewDisposeScope();
        var tokens = MobileViTv2Block.Unfold(_local.call(x), _patch);
        var folded = MobileViTv2Block.Fold(_global.call(tokens), h, w, _patch);
        return scope.MoveToOuter(_proj.call(folded));
    }
}
