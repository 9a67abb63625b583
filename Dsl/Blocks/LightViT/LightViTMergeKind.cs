using System.Collections.Generic;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Diagnostics;
using ArchDsl.Dsl.Shapes;

namespace ArchDsl.Dsl.Blocks.LightViT
{
    /// <summary>
    /// LightViT's residual patch merging (official ResidualMergePatch), halving H and W, from width Cp to C:
    /// image tokens: <c>reduction</c>(<c>norm</c>(the four 2×2 sub-grids concatenated, 4Cp)) plus the residual
    /// <c>res_proj</c>(2×2 max pool); global tokens: <c>proj</c>(<c>norm2</c>(g)). The three linears have no bias.
    /// </summary>
    public sealed class LightViTMergeKind : BlockKind
    {
        public override string Name => "lightvit_merge";
        public override string Summary => "LightViT residual patch merging: 2×2 merge + max-pool residual; global tokens projected";
        public override string RuntimeType => "ArchDsl.Runtime.Blocks.ResidualMergePatch";
        public override ShapeForm Input => ShapeForm.Tokens;

        public override IReadOnlyList<ParamDecl> Params { get; } = new[]
        {
            ParamDecl.Int("out", "output width C").AsArgument("out_channels"),
            ParamDecl.Number("norm_eps", "eps of norm (4Cp) and norm2 (Cp)", 1e-12, 1),
        };

        public override Shape Trace(BlockArgs a, Shape x, Tracer t)
        {
            int cp = x.Channels, c = a.Int("out"), tokens = x.GlobalTokens;
            if (x.Height % 2 != 0 || x.Width % 2 != 0)
                Tracer.Fail(DiagnosticId.SpatialNotDivisible,
                    $"{t.PathOf("")}: 2×2 patch merging needs an even feature map, not {x.Height}×{x.Width}");
            var y = Shape.Tokens(c, x.Height / 2, x.Width / 2, tokens);

            t.MaxPool("maxp", x.Pixels * cp);
            t.Linear("res_proj", y.Pixels, cp, c, bias: false);
            t.LayerNorm("norm", y.Pixels * 4 * cp, 4 * cp);
            t.Linear("reduction", y.Pixels, 4 * cp, c, bias: false);
            t.Elementwise("", y.Pixels * c, "residual add");
            t.LayerNorm("norm2", (long)tokens * cp, cp);
            t.Linear("proj", tokens, cp, c, bias: false);
            return y;
        }
    }
}
