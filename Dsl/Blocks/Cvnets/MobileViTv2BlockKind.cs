using System.Collections.Generic;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Diagnostics;
using ArchDsl.Dsl.Shapes;

namespace ArchDsl.Dsl.Blocks.Cvnets
{
    /// <summary>
    /// MobileViTv2's block (cvnets MobileViTBlockv2) at the incoming width C with attention width d:
    /// if H or W is not a multiple of the patch, the input is first resized (bilinear, align_corners) up to one and the
    /// block's output stays at that size (cvnets resize_input_if_needed);
    /// <c>local_rep.0</c> = 3×3 depthwise ConvLayer (BN, act), <c>local_rep.1</c> = 1×1 ConvLayer C→d (no bias, norm or act);
    /// unfold into p×p patches [B, d, P = p², N = HW/P];
    /// <c>global_rep</c> = depth × (x + SSA(GN(x)); x + FFN(GN(x))) then GN, where GN is cvnets' layer_norm_2d
    /// (GroupNorm with one group) and SSA is separable self-attention: qkv 1×1 d→1+2d, context scores softmax over N
    /// (per pixel position), context vector Σ_N k·cs, relu(v)·context, out 1×1 d→d (all biased);
    /// FFN = 1×1 d→ffn (act), 1×1 ffn→d with ffn = ffn_ratio·d rounded down to a multiple of ffn_divisor;
    /// fold back, then <c>conv_proj</c> = 1×1 ConvLayer d→C with BN. No residual around the block.
    /// </summary>
    public sealed class MobileViTv2BlockKind : BlockKind
    {
        public override string Name => "mobilevitv2_block";
        public override string Summary => "MobileViTv2 block: local conv, separable self-attention encoders on patches, projection";
        public override string RuntimeType => "ArchDsl.Runtime.Blocks.MobileViTv2Block";

        public override IReadOnlyList<ParamDecl> Params { get; } = new[]
        {
            ParamDecl.Int("attn_dim", "attention width d"),
            ParamDecl.Int("depth", "number of attention + FFN encoders", 1, 1000),
            ParamDecl.Number("ffn_ratio", "FFN hidden width / d", 0.25, 64),
            ParamDecl.Int("ffn_divisor", "the FFN width is rounded down to a multiple of this", 1, 256),
            ParamDecl.Int("patch", "patch height and width of the unfolding", 1, 64),
            ParamDecl.Bool("resize_to_patch", "resize a map that patches do not tile up to the next multiple (cvnets), instead of rejecting it"),
            ParamDecl.Choice("attn_norm", "norm of the encoders: cvnets' layer_norm_2d, i.e. GroupNorm(1, d)", "ArchDsl.Runtime.Blocks.AttentionNorm", "layer_norm_2d"),
            Choices.Act(),
        };

        public static int FfnWidth(int d, double ratio, int divisor) => (int)(ratio * d) / divisor * divisor;

        /// <summary>cvnets' LinearSelfAttention on unfolded tokens [B, d, P, N] (also MatchViT's SSA ablation).</summary>
        public static void TraceSeparableAttention(Tracer ssa, Shape tokens)
        {
            int d = tokens.Channels;
            ConvLayerKind.Trace(ssa.Scope("qkv_proj"), tokens, 1 + 2 * d, 1, 1, 1, true, false, "none");
            ssa.Softmax("", tokens.Pixels);
            ssa.Elementwise("", tokens.Elements, "k · context scores, summed over N");
            ssa.Activation("", "relu", tokens.Elements);
            ssa.Elementwise("", tokens.Elements, "relu(v) · context vector");
            ConvLayerKind.Trace(ssa.Scope("out_proj"), tokens, d, 1, 1, 1, true, false, "none");
        }

        public override Shape Trace(BlockArgs a, Shape x, Tracer t)
        {
            int c = x.Channels, d = a.Int("attn_dim"), patch = a.Int("patch");
            string act = a.Text("act");
            if (x.Height % patch != 0 || x.Width % patch != 0)
            {
                if (!a.Bool("resize_to_patch"))
                    Tracer.Fail(DiagnosticId.SpatialNotDivisible,
                        $"{t.PathOf("")}: {patch}×{patch} patches do not tile the {x.Height}×{x.Width} feature map");
                x = Shape.Image(c, (x.Height + patch - 1) / patch * patch, (x.Width + patch - 1) / patch * patch);
                t.Interpolate("", x.Elements, "bilinear (to a multiple of the patch)");
            }

            var local = t.Scope("local_rep");
            var h = ConvLayerKind.Trace(local.Scope("0"), x, c, 3, 1, c, false, true, act);
            h = ConvLayerKind.Trace(local.Scope("1"), h, d, 1, 1, 1, false, false, "none");

            // unfolded [B, d, P, N]: a 1×1 conv over it costs as over the H×W map
            var tokens = Shape.Image(d, patch * patch, (int)(x.Pixels / (patch * patch)));
            int ffn = FfnWidth(d, a.Number("ffn_ratio"), a.Int("ffn_divisor"));
            var global = t.Scope("global_rep");
            for (int i = 0; i < a.Int("depth"); i++)
            {
                var layer = global.Scope(i.ToString(System.Globalization.CultureInfo.InvariantCulture));
                var attn = layer.Scope("pre_norm_attn");
                attn.GroupNorm("0", tokens, 1);
                TraceSeparableAttention(attn.Scope("1"), tokens);
                layer.Elementwise("pre_norm_attn", tokens.Elements, "residual add");

                var ffnSeq = layer.Scope("pre_norm_ffn");
                ffnSeq.GroupNorm("0", tokens, 1);
                var hidden = ConvLayerKind.Trace(ffnSeq.Scope("1"), tokens, ffn, 1, 1, 1, true, false, act);
                ConvLayerKind.Trace(ffnSeq.Scope("3"), hidden, d, 1, 1, 1, true, false, "none");
                layer.Elementwise("pre_norm_ffn", tokens.Elements, "residual add");
            }
            global.GroupNorm(a.Int("depth").ToString(System.Globalization.CultureInfo.InvariantCulture), tokens, 1);

            var folded = Shape.Image(d, x.Height, x.Width);
            return ConvLayerKind.Trace(t.Scope("conv_proj"), folded, c, 1, 1, 1, false, true, "none");
        }
    }
}
