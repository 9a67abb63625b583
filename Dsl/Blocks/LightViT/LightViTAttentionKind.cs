using System.Collections.Generic;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Diagnostics;
using ArchDsl.Dsl.Shapes;

namespace ArchDsl.Dsl.Blocks.LightViT
{
    /// <summary>
    /// LightViT's attention (official LightViTAttention), a genuinely new operation: on N = T + H·W tokens of width C
    /// (T global tokens first) with heads of width d = C/h and ws×ws windows, one <c>qkv</c> projection of all tokens;
    /// local attention of the image tokens within each window with a Swin relative position bias
    /// (<c>relative_position_bias_table</c> [(2ws−1)², h]); global aggregation, the global queries attending to all image
    /// tokens; <c>kv_global</c> projects the aggregated global tokens to new keys and values, which every image token
    /// attends to (broadcast), added to its local result; <c>proj</c> on [aggregated global ; local + broadcast]. Queries
    /// are scaled by d^−0.5 in all three attentions. It needs the tokens' H×W grid (a TokenState at run time).
    /// Cost overrides under lightvit_official reproduce LightViT.flops(): each window product counted as H·W·C (without
    /// the ws² factor), kv_global not counted. The operations are described in the order the runtime runs them.
    /// </summary>
    public sealed class LightViTAttentionKind : BlockKind
    {
        public override string Name => "lightvit_attention";
        public override string Summary => "LightViT attention: window attention of image tokens with global tokens (aggregate, broadcast)";
        public override string RuntimeType => "ArchDsl.Runtime.Blocks.LightViTAttention";
        public override bool UsesGrid => true;

        public override IReadOnlyList<ParamDecl> Params { get; } = new[]
        {
            ParamDecl.Int("heads", "attention heads h (must divide C)", 1, 1024),
            ParamDecl.Int("window", "side of the local attention windows", 1, 64),
            ParamDecl.Bool("qkv_bias", "bias of qkv and kv_global (proj always has one)"),
        };

        public override string Call(string field, BlockArgs args, IReadOnlyList<Operand> operands)
        {
            var x = operands[0];
            return $"{field}.call(new global::ArchDsl.Runtime.TokenState({x.Tensor}, {x.GridHeight}, {x.GridWidth}, {x.Shape.GlobalTokens}))";
        }

        protected override Shape Trace(BlockArgs a, Shape x, Tracer t)
        {
            t.Require(x.Rank == 2 && x.Grid is { Axis: 0 }, DiagnosticId.FlowMismatch,
                $"{t.PathOf("")}: lightvit_attention needs tokens [B, T+H×W, C] that remember their grid, not {x}");
            string official = CountingConvention.LightViTOfficial.Name;
            int c = x.Channels, heads = a.Int("heads"), ws = a.Int("window"), tokens = x.GlobalTokens;
            if (c % heads != 0)
                Tracer.Fail(DiagnosticId.HeadsDoNotDivide, $"{t.PathOf("")}: {heads} heads do not divide {c} channels");
            if (x.Height % ws != 0 || x.Width % ws != 0)
                Tracer.Fail(DiagnosticId.SpatialNotDivisible,
                    $"{t.PathOf("")}: {ws}×{ws} windows do not tile the {x.Height}×{x.Width} feature map (the official classification code does not pad)");

            long hw = x.Pixels, n = hw + tokens, area = (long)ws * ws, windows = hw / area;
            int d = c / heads;

            t.Parameter("", (2L * ws - 1) * (2 * ws - 1) * heads, "relative position bias table");
            t.Linear("qkv", n, c, 3 * c, a.Bool("qkv_bias"));

            // local window attention; flops() counts (H/ws)(W/ws)·ws²·C per product, missing a factor ws²
            t.Elementwise("", hw * c, "q · scale");
            t.Matmul("", windows * heads, area, d, area);
            t.Override(official, hw * c);
            t.Elementwise("", windows * heads * area * area, "+ relative position bias");
            t.Softmax("", windows * heads * area * area);
            t.Matmul("", windows * heads, area, area, d);
            t.Override(official, hw * c);

            // global aggregation: the T global queries over all image tokens
            t.Elementwise("", (long)tokens * c, "q · scale");
            t.Matmul("", heads, tokens, d, hw);
            t.Softmax("", heads * tokens * hw);
            t.Matmul("", heads, tokens, hw, d);

            // broadcast: new keys and values from the aggregated tokens; flops() has no term for kv_global
            t.Linear("kv_global", tokens, c, 2 * c, a.Bool("qkv_bias"));
            t.Override(official, 0);
            t.Elementwise("", hw * c, "q · scale");
            t.Matmul("", heads, hw, d, tokens);
            t.Softmax("", heads * hw * tokens);
            t.Matmul("", heads, hw, tokens, d);
            t.Elementwise("", hw * c, "local + broadcast");

            t.Linear("proj", n, c, c);
            return x;
        }
    }
}
