using System.Collections.Generic;
using ArchDsl.Dsl.Blocks.MobileViT;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Diagnostics;

namespace ArchDsl.Dsl.Blocks.XFormer
{
    /// <summary>
    /// XFormer's XF block: the MobileViT wrapper (<see cref="MobileViTWrapperKind"/>; the paper never writes out how C
    /// channels become d-wide tokens, the wrapper is the reading that reproduces its parameter count) with cross feature
    /// attention (XFA, Eqs. 2–5) in each encoder (Eqs. 7–8). Per head of width D = qkv_dim / heads, on the N tokens of a group:
    /// <c>qkv_proj</c> Linear d→3·qkv_dim (biased); Q̂, K̂ = L2-normalised Q, K (along <c>l2_axis</c>);
    /// K̂_f = K̂·W_fᵀ with <c>feature_score</c> = W_f ∈ ℝ^{1×D} (Eq. 4);
    /// K̂_c ∈ ℝ^{1×D} = W_c·K̂ (Eq. 3), where W_c must work at any N: <c>context: softmax_pool</c> takes
    /// W_c = softmax over N of K̂·w_cᵀ (<c>context_score</c>, MobileViTv2's "context scores"), <c>mean</c> takes W_c = 1/N;
    /// XFA = V·(λ·Q̂ᵀK̂_f·K̂_c) (Eq. 5): the D×D map is formed, then multiplied into V, the O(N·D²) order the paper states;
    /// no softmax; λ = <c>temperature</c> (per head or one per layer, initialised to 1); <c>out_proj</c> Linear qkv_dim→d (biased).
    /// </summary>
    public sealed class XfBlockKind : MobileViTWrapperKind
    {
        public override string Name => "xf_block";
        public override string Summary => "XFormer XF block: MobileViT wrapper with cross feature attention (XFA) encoders";
        public override string RuntimeType => "ArchDsl.Runtime.Blocks.XFBlock";

        protected override IEnumerable<ParamDecl> AttentionParams() => new[]
        {
            ParamDecl.Int("qkv_dim", "width of Q, K and V (all heads together)"),
            ParamDecl.Int("heads", "attention heads (each of width qkv_dim / heads)", 1, 1024),
            ParamDecl.Choice("l2_axis", "axis of the L2 normalisation of Q and K: over the N tokens of each feature (XCiT) or over the features of each token",
                "ArchDsl.Runtime.Blocks.XfaNormAxis", "tokens", "features"),
            ParamDecl.Choice("temperature", "learnable temperature λ: one per head (XCiT) or one per layer", "ArchDsl.Runtime.Blocks.XfaTemperature", "per_head", "per_layer"),
            ParamDecl.Choice("context", "resolution-free form of W_c (query context scores over the N tokens)", "ArchDsl.Runtime.Blocks.XfaContext", "softmax_pool", "mean"),
        };

        protected override void TraceAttention(BlockArgs a, Tracer t, int groups, int tokens, int d)
        {
            int qkv = a.Int("qkv_dim"), heads = a.Int("heads");
            t.Require(qkv % heads == 0, DiagnosticId.HeadsDoNotDivide, $"{t.PathOf("")}: {heads} heads do not divide the Q-K-V width {qkv}");
            int head = qkv / heads;
            long rows = (long)groups * tokens, maps = (long)groups * heads;

            t.Parameter("", a.Text("temperature") == "per_head" ? heads : 1, "temperature λ");
            LinearPerToken(t, "qkv_proj", rows, d, 3 * qkv);
            t.Elementwise("", 2 * rows * qkv, "L2 normalisation of Q and K");
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
        }
    }
}
