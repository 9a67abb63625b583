using System.Collections.Generic;
using System.Globalization;
using ArchDsl.Dsl.Blocks.Cvnets;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Diagnostics;
using ArchDsl.Dsl.Shapes;

namespace ArchDsl.Dsl.Blocks.MatchViT
{
    /// <summary>
    /// MatchViT's block ("MaViT", Table 1), which the paper calls "similar to the transformer block in MobileViTv2" and
    /// implements with CVNets: the cvnets MobileViTBlockv2 shell with MatchViT's encoders inside.
    /// <c>local_rep.0</c> = 3×3 depthwise ConvLayer (BN, act) and <c>local_rep.1</c> = 1×1 ConvLayer C→d, the "separable
    /// convolution" of the paper; tokens [B, d, P, N] (patch 1: every pixel a token, P = 1, N = HW; patch p: cvnets'
    /// p×p unfolding, attention over the N = HW/p² patches separately for each of the P = p² pixel positions);
    /// <c>global_rep</c> = depth × encoder, then GroupNorm(1, d) (cvnets layer_norm_2d); fold; <c>conv_proj</c> = 1×1
    /// ConvLayer d→C with BN. No residual around the block (as MobileViTv2).
    /// Encoder = x + Attention(GN(x)); x + FFN(GN(x), context vectors) with the attention MaSSA, SSA or MHSA and the
    /// FFN plain or context-gated (see <see cref="MatchViTEncoderTrace"/>). Patches must tile the map (no resizing).
    /// </summary>
    public sealed class MaViTBlockKind : BlockKind
    {
        public const string AttentionEnum = "ArchDsl.Runtime.Blocks.MatchViTAttention";
        public const string SoftmaxAxisEnum = "ArchDsl.Runtime.Blocks.MassaSoftmaxAxis";

        public override string Name => "mavit_block";
        public override string Summary => "MatchViT block: local conv, MaSSA (or SSA/MHSA) + context-gated FFN encoders, projection";
        public override string RuntimeType => "ArchDsl.Runtime.Blocks.MaViTBlock";

        public override IReadOnlyList<ParamDecl> Params { get; } = new[]
        {
            ParamDecl.Int("attn_dim", "attention width d (local_rep's 1×1 conv C→d)"),
            ParamDecl.Int("depth", "encoders (Table 1 Rep.)", 1, 1000),
            ParamDecl.Int("hidden_tokens", "Table 1 Head: MaSSA's hidden tokens k, or MHSA's heads (SSA has one context score and does not read it)", 1, 4096),
            ParamDecl.Choice("attention", "token mixer: massa (MatchViT), ssa (MobileViTv2's LinearSelfAttention), mhsa (multi-head self-attention)",
                AttentionEnum, "massa", "ssa", "mhsa"),
            ParamDecl.Bool("context_gate", "context-gated FFN (Eq. 5), fed by the MaSSA context vectors of the same encoder"),
            ParamDecl.Number("gamma", "γ: width of K, R and the context vectors is γ·d", 1.0 / 64, 1),
            ParamDecl.Choice("value_width", "width of V: model = d as printed (V ∈ R^{N,C}; needs γ = 1 for the ⊙ with the N×γd matched context), context = γ·d",
                "ArchDsl.Runtime.Blocks.MassaValueWidth", "model", "context"),
            ParamDecl.Choice("context_softmax", "axis of the context-score softmax over I [N×k]: tokens (each hidden token's weights sum to 1, as SSA's) or hidden_tokens",
                SoftmaxAxisEnum, "tokens", "hidden_tokens"),
            ParamDecl.Choice("match_softmax", "axis of the matching-score softmax over R·CVᵀ [N×k]: hidden_tokens (each token's weights sum to 1) or tokens",
                SoftmaxAxisEnum, "hidden_tokens", "tokens"),
            ParamDecl.Bool("match_scale", "scale R·CVᵀ by 1/√(γd) before the softmax"),
            ParamDecl.Bool("relu_v", "ReLU on V before the product, as SSA"),
            ParamDecl.Int("patch", "1: tokens are pixels; p: cvnets p×p unfolding", 1, 64),
            ParamDecl.Number("ffn_ratio", "FFN hidden width / d (λ)", 0.25, 64),
            ParamDecl.Int("ffn_divisor", "the FFN width is rounded down to a multiple of this (cvnets)", 1, 256),
            ParamDecl.Choice("gate_order", "evaluation of σ(x W_k · cv W_cv): context_first = (x W_k)(cv W_cv + b_cv), tokens_first = ((x W_k) cv) W_cv + b_cv",
                "ArchDsl.Runtime.Blocks.ContextGateOrder", "context_first", "tokens_first"),
            ParamDecl.Choice("gate_act", "σ of the gate (Eq. 5)", Choices.ActivationEnum, Choices.Activations),
            ParamDecl.Bool("gate_bias", "bias of W_k, the 1×1 projection of the tokens onto the k hidden tokens"),
            ParamDecl.Bool("bias", "bias of the attention and FFN 1×1 projections and of W_cv (cvnets: true)"),
            ParamDecl.Choice("attn_norm", "norm of the encoders: cvnets' layer_norm_2d, i.e. GroupNorm(1, d)", "ArchDsl.Runtime.Blocks.AttentionNorm", "layer_norm_2d"),
            Choices.Act(),
        };

        public override Shape Trace(BlockArgs a, Shape x, Tracer t)
        {
            int c = x.Channels, d = a.Int("attn_dim"), patch = a.Int("patch"), depth = a.Int("depth");
            var encoder = MatchViTEncoderTrace.Settings.From(a, t.PathOf(""));
            if (x.Height % patch != 0 || x.Width % patch != 0)
                Tracer.Fail(DiagnosticId.SpatialNotDivisible,
                    $"{t.PathOf("")}: {patch}×{patch} patches do not tile the {x.Height}×{x.Width} feature map");

            var local = t.Scope("local_rep");
            var h = ConvLayerKind.Trace(local.Scope("0"), x, c, 3, 1, c, false, true, a.Text("act"));
            ConvLayerKind.Trace(local.Scope("1"), h, d, 1, 1, 1, false, false, "none");

            // [B, d, P, N]: a 1×1 conv over it costs as over the H×W map
            var tokens = Shape.Image(d, patch * patch, (int)(x.Pixels / (patch * patch)));
            var global = t.Scope("global_rep");
            for (int i = 0; i < depth; i++)
                MatchViTEncoderTrace.Encoder(global.Scope(I(i)), tokens, encoder);
            global.GroupNorm(I(depth), tokens, 1);

            return ConvLayerKind.Trace(t.Scope("conv_proj"), Shape.Image(d, x.Height, x.Width), c, 1, 1, 1, false, true, "none");
        }

        private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);
    }
}
