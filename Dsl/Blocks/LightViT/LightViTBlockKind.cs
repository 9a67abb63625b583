using System.Collections.Generic;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Diagnostics;
using ArchDsl.Dsl.Shapes;

namespace ArchDsl.Dsl.Blocks.LightViT
{
    /// <summary>
    /// LightViT's block (official Block) on N = T + H·W tokens of width C, pre-norm:
    /// z + attn(norm1(z)); z + mlp(norm2(z)), global tokens included in both.
    /// <c>attn</c> (LightViTAttention), with heads h of width d = C/h and 7×7 windows:
    /// one <c>qkv</c> projection for all tokens; local attention of the image tokens within each window, with a Swin
    /// relative position bias (<c>relative_position_bias_table</c> [(2ws−1)², h]); global aggregation, the global
    /// queries attending to all image tokens; <c>kv_global</c> projects the aggregated global tokens to new keys and
    /// values, which every image token attends to (broadcast), added to its local result; <c>proj</c> on
    /// [aggregated global ; local + broadcast]. Queries are scaled by d^−0.5.
    /// <c>mlp</c> (BiAttnMlp): fc1, GELU, fc2, then BiAttn gating: on LayerNorm(m), a channel gate
    /// σ(channel_select(GELU(global_reduce(mean over all tokens)))) and a spatial gate
    /// σ(spatial_select([GELU(local_reduce(token)) ‖ global])) multiply the un-normalised m.
    /// Cost overrides under lightvit_official reproduce LightViT.flops(): it counts each window matmul as H·W·C
    /// (without the ws² factor), leaves kv_global out and adds N·C for the gating product.
    /// </summary>
    public sealed class LightViTBlockKind : BlockKind
    {
        public override string Name => "lightvit_block";
        public override string Summary => "LightViT block: local window + global-token attention, BiAttn MLP";
        public override string RuntimeType => "ArchDsl.Runtime.Blocks.LightViTBlock";
        public override ShapeForm Input => ShapeForm.Tokens;

        public override IReadOnlyList<ParamDecl> Params { get; } = new[]
        {
            ParamDecl.Int("heads", "attention heads h (must divide C)", 1, 1024),
            ParamDecl.Int("window", "side of the local attention windows", 1, 64),
            ParamDecl.Number("mlp_ratio", "MLP hidden width / C", 0.25, 64),
            ParamDecl.Bool("qkv_bias", "bias of qkv and kv_global"),
            ParamDecl.Number("norm_eps", "eps of norm1 and norm2", 1e-12, 1),
            ParamDecl.Number("biattn_ratio", "BiAttn reduce width / C (the paper's 1/r)", 0.01, 1),
            ParamDecl.Number("biattn_norm_eps", "eps of the LayerNorm inside BiAttn", 1e-12, 1),
        };

        public override Shape Trace(BlockArgs a, Shape x, Tracer t)
        {
            string official = CountingConvention.LightViTOfficial.Name;
            int c = x.Channels, heads = a.Int("heads"), ws = a.Int("window"), tokens = x.GlobalTokens;
            if (c % heads != 0)
                Tracer.Fail(DiagnosticId.HeadsDoNotDivide, $"{t.PathOf("attn")}: {heads} heads do not divide {c} channels");
            if (x.Height % ws != 0 || x.Width % ws != 0)
                Tracer.Fail(DiagnosticId.SpatialNotDivisible,
                    $"{t.PathOf("attn")}: {ws}×{ws} windows do not tile the {x.Height}×{x.Width} feature map (the official classification code does not pad)");

            long hw = x.Pixels, n = hw + tokens, area = (long)ws * ws, windows = hw / area;
            int d = c / heads;

            t.LayerNorm("norm1", n * c, c);
            var attn = t.Scope("attn");
            attn.Parameter("", (2L * ws - 1) * (2 * ws - 1) * heads, "relative position bias table");
            attn.Linear("qkv", n, c, 3 * c, a.Bool("qkv_bias"));

            // local window attention; flops() counts (H/ws)(W/ws)·ws²·C per product, missing a factor ws²
            attn.Matmul("", windows * heads, area, d, area);
            attn.Override(official, hw * c);
            attn.Softmax("", windows * heads * area * area);
            attn.Matmul("", windows * heads, area, area, d);
            attn.Override(official, hw * c);

            // global aggregation: the T global queries over all image tokens
            attn.Matmul("", heads, tokens, d, hw);
            attn.Softmax("", heads * tokens * hw);
            attn.Matmul("", heads, tokens, hw, d);

            // broadcast: new keys and values from the aggregated tokens; flops() has no term for kv_global
            attn.Linear("kv_global", tokens, c, 2 * c, a.Bool("qkv_bias"));
            attn.Override(official, 0);
            attn.Matmul("", heads, hw, d, tokens);
            attn.Softmax("", heads * hw * tokens);
            attn.Matmul("", heads, hw, tokens, d);
            attn.Elementwise("", hw * c, "local + broadcast");

            attn.Linear("proj", n, c, c);
            t.Elementwise("attn", n * c, "residual add");

            t.LayerNorm("norm2", n * c, c);
            var mlp = t.Scope("mlp");
            int hidden = (int)(c * a.Number("mlp_ratio"));
            mlp.Linear("fc1", n, c, hidden);
            mlp.Activation("act", "gelu", n * hidden);
            mlp.Linear("fc2", n, hidden, c);

            var gate = mlp.Scope("attn");
            int r = (int)(c * a.Number("biattn_ratio"));
            gate.LayerNorm("norm", n * c, c);
            gate.Mean("", n * c);
            gate.Linear("global_reduce", 1, c, r);
            gate.Activation("", "gelu", r);
            gate.Linear("local_reduce", n, c, r);
            gate.Activation("", "gelu", n * r);
            gate.Linear("channel_select", 1, r, c);
            gate.Activation("", "sigmoid", c);
            gate.Linear("spatial_select", n, 2 * r, 1);
            gate.Activation("", "sigmoid", n);
            // two products of N·C (c·s, then m·(c·s)); flops() counts one ("dot product")
            gate.Elementwise("", 2 * n * c, "channel gate · spatial gate · m");
            gate.Override(official, n * c);
            t.Elementwise("mlp", n * c, "residual add");
            return x;
        }
    }
}
