using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ArchDsl.Dsl.Blocks.Cvnets;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Diagnostics;
using ArchDsl.Dsl.Shapes;

namespace ArchDsl.Dsl.Blocks.MobileViT
{
    /// <summary>
    /// The MobileViT block wrapper (cvnets MobileViTBlock), shared by MobileViT v1 (multi-head self-attention) and
    /// XFormer (cross feature attention); a subclass supplies only the attention. At incoming width C and transformer
    /// width d:
    /// <c>local_rep.conv_3x3</c> = full 3×3 ConvLayer C→C (BN, act), <c>local_rep.conv_1x1</c> = 1×1 C→d (no bias, norm or act);
    /// if H or W is not a multiple of the patch p, that map is resized (bilinear, align_corners false) up to one, and the
    /// folded map back to H×W afterwards (cvnets unfolding/folding);
    /// unfold into p×p patches: [B·P, N, d] with P = p² pixel positions and N = H·W/P patches, each pixel position an
    /// attention group of its own;
    /// <c>global_rep</c> = depth × TransformerEncoder (x + attention(LN(x)) via <c>pre_norm_mha</c>; x + FFN(LN(x)) via
    /// <c>pre_norm_ffn</c> = [LN, Linear d→ffn, act, Dropout, Linear ffn→d, Dropout]), then a final LayerNorm;
    /// fold; <c>conv_proj</c> = 1×1 ConvLayer d→C (BN, act); <c>fusion</c> = 3×3 ConvLayer on cat(input, projection) 2C→C
    /// (BN, act). No residual around the block.
    /// </summary>
    public abstract class MobileViTWrapperKind : BlockKind
    {
        /// <summary>The wrapper's parameters, then the attention's.</summary>
        public sealed override IReadOnlyList<ParamDecl> Params => _params ??= WrapperParams().Concat(AttentionParams()).ToArray();
        private ParamDecl[]? _params;

        private static IEnumerable<ParamDecl> WrapperParams() => new[]
        {
            ParamDecl.Int("attn_dim", "transformer width d"),
            ParamDecl.Int("depth", "number of transformer encoders", 1, 1000),
            ParamDecl.Number("ffn_ratio", "FFN hidden width / d (rounded down)", 0.25, 64),
            ParamDecl.Int("patch", "patch height and width of the unfolding", 1, 64),
            ParamDecl.Bool("resize_to_patch", "resize a map that patches do not tile up to the next multiple and back (cvnets), instead of rejecting it"),
            ParamDecl.Number("dropout", "dropout after the attention and after the FFN (training only)", 0, 1),
            Choices.Act("activation of the convolutions (local 3×3, projection, fusion)"),
            ParamDecl.Choice("ffn_act", "activation between the two FFN linear layers", Choices.ActivationEnum, Choices.Activations),
        };

        /// <summary>Parameters of the attention inside each encoder.</summary>
        protected abstract IEnumerable<ParamDecl> AttentionParams();

        /// <summary>Describes one attention at <c>pre_norm_mha.1</c> on [groups·tokens, d] (groups = P pixel positions,
        /// tokens = N patches per group), returning nothing: it keeps the width d.</summary>
        protected abstract void TraceAttention(BlockArgs a, Tracer t, int groups, int tokens, int d);

        public static int FfnWidth(int d, double ratio) => (int)(ratio * d);

        public sealed override Shape Trace(BlockArgs a, Shape x, Tracer t)
        {
            int c = x.Channels, d = a.Int("attn_dim"), p = a.Int("patch"), depth = a.Int("depth");
            string act = a.Text("act");

            int ph = (x.Height + p - 1) / p * p, pw = (x.Width + p - 1) / p * p;
            bool resize = ph != x.Height || pw != x.Width;
            if (resize && !a.Bool("resize_to_patch"))
                Tracer.Fail(DiagnosticId.SpatialNotDivisible,
                    $"{t.PathOf("")}: {p}×{p} patches do not tile the {x.Height}×{x.Width} feature map (resize_to_patch is false)");

            var local = t.Scope("local_rep");
            var h = ConvLayerKind.Trace(local.Scope("conv_3x3"), x, c, 3, 1, 1, false, true, act);
            ConvLayerKind.Trace(local.Scope("conv_1x1"), h, d, 1, 1, 1, false, false, "none");
            if (resize) t.Interpolate("", (long)d * ph * pw, "bilinear (up to a multiple of the patch)");

            int groups = p * p, tokens = ph * pw / groups;
            long elements = (long)ph * pw * d;
            int ffn = FfnWidth(d, a.Number("ffn_ratio"));
            var global = t.Scope("global_rep");
            for (int i = 0; i < depth; i++)
            {
                var layer = global.Scope(I(i));
                var mha = layer.Scope("pre_norm_mha");
                mha.LayerNorm("0", elements, d);
                TraceAttention(a, mha.Scope("1"), groups, tokens, d);
                layer.Elementwise("", elements, "residual add (attention)");

                var mlp = layer.Scope("pre_norm_ffn");
                mlp.LayerNorm("0", elements, d);
                LinearPerToken(mlp, "1", (long)groups * tokens, d, ffn);
                mlp.Activation("2", a.Text("ffn_act"), (long)groups * tokens * ffn);
                LinearPerToken(mlp, "4", (long)groups * tokens, ffn, d);
                layer.Elementwise("", elements, "residual add (FFN)");
            }
            global.LayerNorm(I(depth), elements, d);
            if (resize) t.Interpolate("", (long)d * x.Pixels, "bilinear (back to the input size)");

            ConvLayerKind.Trace(t.Scope("conv_proj"), Shape.Image(d, x.Height, x.Width), c, 1, 1, 1, false, true, act);
            return ConvLayerKind.Trace(t.Scope("fusion"), Shape.Image(2 * c, x.Height, x.Width), c, 3, 1, 1, false, true, act);
        }

        /// <summary>A biased or unbiased linear layer applied to every token. cvnets' profiler counts a LinearLayer as its
        /// parameter number and its transformer profiles multiply that by the token count, bias included.</summary>
        protected static void LinearPerToken(Tracer t, string name, long tokens, int inFeatures, int outFeatures, bool bias = true)
        {
            t.Linear(name, tokens, inFeatures, outFeatures, bias);
            t.Override(CountingConvention.CvnetsV02.Name, ((long)inFeatures * outFeatures + (bias ? outFeatures : 0)) * tokens);
        }

        protected static string I(int v) => v.ToString(CultureInfo.InvariantCulture);
    }
}
