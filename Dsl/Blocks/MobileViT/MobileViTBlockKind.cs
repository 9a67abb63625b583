using System.Collections.Generic;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Diagnostics;

namespace ArchDsl.Dsl.Blocks.MobileViT
{
    /// <summary>
    /// MobileViT v1's block (cvnets MobileViTBlock): the <see cref="MobileViTWrapperKind"/> wrapper with multi-head
    /// self-attention (cvnets MultiHeadAttention) in each encoder: <c>qkv_proj</c> Linear d→3d (features laid out
    /// [q|k|v][head][head_dim]), q scaled by head_dim^-0.5, softmax(q·kᵀ) over the N patches of a group, ·v,
    /// <c>out_proj</c> Linear d→d; both linear layers biased.
    /// </summary>
    public sealed class MobileViTBlockKind : MobileViTWrapperKind
    {
        public override string Name => "mobilevit_block";
        public override string Summary => "MobileViT v1 block: local convs, multi-head self-attention encoders on unfolded patches, projection, fusion";
        public override string RuntimeType => "ArchDsl.Runtime.Blocks.MobileViTBlock";

        protected override IEnumerable<ParamDecl> AttentionParams() => new[]
        {
            ParamDecl.Int("heads", "attention heads (each of width d / heads)", 1, 1024),
        };

        protected override void TraceAttention(BlockArgs a, Tracer t, int groups, int tokens, int d)
        {
            int heads = a.Int("heads");
            t.Require(d % heads == 0, DiagnosticId.HeadsDoNotDivide, $"{t.PathOf("")}: {heads} heads do not divide the attention width {d}");
            int headDim = d / heads;
            long rows = (long)groups * tokens;
            LinearPerToken(t, "qkv_proj", rows, d, 3 * d);
            t.Elementwise("", rows * d, "q · head_dim^-0.5");
            // cvnets v0.2's profile counts N²·d per group for each product (v0.1 counted N·d², a dimensional slip)
            t.Matmul("", (long)groups * heads, tokens, headDim, tokens);
            t.Softmax("", (long)groups * heads * tokens * tokens);
            t.Matmul("", (long)groups * heads, tokens, tokens, headDim);
            LinearPerToken(t, "out_proj", rows, d, d);
        }
    }
}
