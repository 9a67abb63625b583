using System.Collections.Generic;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Diagnostics;
using ArchDsl.Dsl.Shapes;

namespace ArchDsl.Dsl.Blocks.XFormer
{
    /// <summary>
    /// XFormer's cross feature attention (XFA, Eqs. 2–5), a genuinely new operation, on tokens [B', N, d] with heads of
    /// width D = qkv_dim / heads: <c>qkv_proj</c> Linear d→3·qkv_dim (biased); Q̂, K̂ = L2-normalised Q, K (along
    /// <c>l2_axis</c>); K̂_f = K̂·W_fᵀ with <c>feature_score</c> = W_f ∈ ℝ^{1×D} (Eq. 4); K̂_c ∈ ℝ^{1×D} = W_c·K̂ (Eq. 3),
    /// where W_c must work at any N: <c>context: softmax_pool</c> takes W_c = softmax over N of K̂·w_cᵀ
    /// (<c>context_score</c>), <c>mean</c> takes W_c = 1/N; XFA = V·(λ·Q̂ᵀK̂_f·K̂_c) (Eq. 5), the D×D map formed first,
    /// the O(N·D²) order the paper states; no softmax; λ = <c>temperature</c> (per head or one per layer, initialised
    /// to 1); <c>out_proj</c> Linear qkv_dim→d (biased). Its linears count per token under cvnets_v02, as cvnets'
    /// transformer profiles do. The operations are described in the order the runtime runs them.
    /// </summary>
    public sealed class CrossFeatureAttentionKind : BlockKind
    {
        public override string Name => "cross_feature_attention";
        public override string Summary => "XFormer cross feature attention (XFA): a rank-one D×D map per head, linear in N";
        public override string RuntimeType => "ArchDsl.Runtime.Blocks.CrossFeatureAttention";
        protected override string InputChannelsArgument => "dim";

        public override IReadOnlyList<ParamDecl> Params { get; } = new[]
        {
            ParamDecl.Int("qkv_dim", "width of Q, K and V (all heads together)"),
            ParamDecl.Int("heads", "attention heads (each of width qkv_dim / heads)", 1, 1024),
            ParamDecl.Choice("l2_axis", "axis of the L2 normalisation of Q and K: over the N tokens of each feature (XCiT) or over the features of each token",
                "ArchDsl.Runtime.Blocks.XfaNormAxis", "tokens", "features"),
            ParamDecl.Choice("temperature", "learnable temperature λ: one per head (XCiT) or one per layer", "ArchDsl.Runtime.Blocks.XfaTemperature", "per_head", "per_layer"),
            ParamDecl.Choice("context", "resolution-free form of W_c (query context scores over the N tokens)", "ArchDsl.Runtime.Blocks.XfaContext", "softmax_pool", "mean"),
        };

        protected override Shape Trace(BlockArgs a, Shape x, Tracer t)
        {
            t.Require(x.Rank == 2, DiagnosticId.FlowMismatch, $"{t.PathOf("")}: cross_feature_attention needs tokens [B, N, d], not {x}");
            int d = x.Dims[1], tokens = x.Dims[0], groups = x.BatchFactor;
            int qkv = a.Int("qkv_dim"), heads = a.Int("heads");
            t.Require(qkv % heads == 0, DiagnosticId.HeadsDoNotDivide, $"{t.PathOf("")}: {heads} heads do not divide the Q-K-V width {qkv}");
            int head = qkv / heads;
            long rows = (long)groups * tokens, maps = (long)groups * heads;

            t.Parameter("", a.Text("temperature") == "per_head" ? heads : 1, "temperature λ");
            LinearPerToken(t, "qkv_proj", rows, d, 3 * qkv);
            t.Elementwise("", rows * qkv, "L2 normalisation of Q");
            t.Elementwise("", rows * qkv, "L2 normalisation of K");
            LinearPerToken(t, "feature_score", rows * heads, head, 1, bias: false);
            if (a.Text("context") == "softmax_pool")
            {
                LinearPerToken(t, "context_score", rows * heads, head, 1, bias: false);
                t.Softmax("", rows * heads);
                t.Matmul("", maps, 1, tokens, head);
            }
            else
            {
                t.Mean("", rows * qkv);
            }
            t.Matmul("", maps, head, tokens, 1);
            t.Elementwise("", maps * head, "λ · Q̂ᵀK̂_f");
            t.Matmul("", maps, head, 1, head);
            t.Matmul("", maps, tokens, head, head);
            LinearPerToken(t, "out_proj", rows, qkv, d);
            return x;
        }

        /// <summary>A linear layer applied to every token; cvnets' transformer profiles count its parameters per token.</summary>
        private static void LinearPerToken(Tracer t, string name, long tokens, int inFeatures, int outFeatures, bool bias = true)
        {
            t.Linear(name, tokens, inFeatures, outFeatures, bias);
            t.Override(CountingConvention.CvnetsV02.Name, ((long)inFeatures * outFeatures + (bias ? outFeatures : 0)) * tokens);
        }
    }
}
