using System.Collections.Generic;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Diagnostics;
using ArchDsl.Dsl.Shapes;

namespace ArchDsl.Dsl.Blocks.MAT
{
    /// <summary>
    /// MAT attention (Vo, PhD thesis, Univ. of Ulsan, 2023, §4.3.1, eqs. 4.1–4.5), a genuinely new operation, on a map
    /// [B, C, H, W] with h heads of width d = C/h and w×w windows (N_w = HW/w² of them; H and W must be multiples of w,
    /// as the thesis does not pad):
    /// <list type="number">
    /// <item>Token merging: the learnable <c>abstract_token</c> [1, 1, C] is prepended to every window, w² + 1 tokens each.
    /// One token shared by all windows (inferred: the thesis's A ∈ ℝ^{N_w×…} has one per window, but N_w changes with
    /// the input size and the thesis uses the model at 224², 320², 512² and 1333×800; a shared token keeps the
    /// parameters resolution-independent and costs C instead of N_w·C).</item>
    /// <item>Token abstraction (4.1, 4.2): multi-head self-attention inside each merged window, <c>local_qkv</c> C→3C,
    /// queries scaled by d^−½.</item>
    /// <item>Mixing abstract tokens (4.3, 4.4): the N_w abstract tokens of an image mixed by multi-head self-attention,
    /// <c>mix_qkv</c> C→3C and <c>mix_proj</c> C→C.</item>
    /// <item>Token fusion (4.5): cross-attention of the image tokens over the N_w mixed tokens; the queries are the image
    /// tokens' scaled queries of step 2 (inferred from eq. 4.5 reusing W^Q of eq. 4.2, and from Table 4.9, where MAT
    /// attention costs only 0.007 G more than window attention: a second query projection of every token would add
    /// 0.039 G), keys and values <c>fuse_kv</c> C→2C.</item>
    /// <item>Output: <c>proj</c> C→C of (local-attention output + fusion) of the image tokens, back to the map.</item>
    /// </list>
    /// Ten C×C matrices in all (the "high parameters originating from query, key, and value projection matrices" of
    /// §4.6.1), four of them on every image token. With <c>abstract_tokens: false</c> only steps 2 and 5 remain: plain
    /// non-overlapped window attention, Table 4.9's "+Window Attn" baseline (no shift, no relative position bias).
    /// The operations are described in the order the runtime runs them.
    /// </summary>
    public sealed class MatAttentionKind : BlockKind
    {
        public override string Name => "mat_attention";
        public override string Summary => "MAT attention: window attention with an abstract token per window, the abstract tokens mixed and fused back (cross-attention)";
        public override string RuntimeType => "ArchDsl.Runtime.Blocks.MatAttention";

        public override IReadOnlyList<ParamDecl> Params { get; } = new[]
        {
            ParamDecl.Int("heads", "attention heads h of all three attentions (must divide C)", 1, 1024),
            ParamDecl.Int("window", "side w of the non-overlapped windows (H and W must be multiples of it)", 1, 64),
            ParamDecl.Bool("abstract_tokens", "the abstract token, its mixing and the fusion (false: plain window attention)"),
            ParamDecl.Bool("bias", "bias of every projection"),
        };

        protected override Shape Trace(BlockArgs a, Shape x, Tracer t)
        {
            t.Require(x.Rank == 3, DiagnosticId.FlowMismatch, $"{t.PathOf("")}: mat_attention needs a feature map [B, C, H, W], not {x}");
            int c = x.Channels, heads = a.Int("heads"), ws = a.Int("window");
            bool mixing = a.Bool("abstract_tokens"), bias = a.Bool("bias");
            if (c % heads != 0)
                Tracer.Fail(DiagnosticId.HeadsDoNotDivide, $"{t.PathOf("")}: {heads} heads do not divide {c} channels");
            if (x.Height % ws != 0 || x.Width % ws != 0)
                Tracer.Fail(DiagnosticId.SpatialNotDivisible,
                    $"{t.PathOf("")}: {ws}×{ws} windows do not tile the {x.Height}×{x.Width} feature map (MAT does not pad)");

            long hw = x.Pixels, area = (long)ws * ws, windows = hw / area, tokens = area + (mixing ? 1 : 0);
            int d = c / heads;

            if (mixing) t.Parameter("", c, "abstract token");

            // token abstraction: self-attention in each window of w² (+ 1 abstract) tokens
            t.Linear("local_qkv", windows * tokens, c, 3 * c, bias);
            t.Elementwise("", windows * tokens * c, "q · scale");
            t.Matmul("", windows * heads, tokens, d, tokens);
            t.Softmax("", windows * heads * tokens * tokens);
            t.Matmul("", windows * heads, tokens, tokens, d);

            if (mixing)
            {
                // mixing the N_w abstract tokens of an image
                t.Linear("mix_qkv", windows, c, 3 * c, bias);
                t.Elementwise("", windows * c, "q · scale");
                t.Matmul("", heads, windows, d, windows);
                t.Softmax("", heads * windows * windows);
                t.Matmul("", heads, windows, windows, d);
                t.Linear("mix_proj", windows, c, c, bias);

                // fusion: every image token's (scaled) query over the mixed tokens
                t.Linear("fuse_kv", windows, c, 2 * c, bias);
                t.Matmul("", heads, hw, d, windows);
                t.Softmax("", heads * hw * windows);
                t.Matmul("", heads, hw, windows, d);
                t.Elementwise("", hw * c, "local + fusion");
            }

            t.Linear("proj", hw, c, c, bias);
            return x;
        }
    }
}
