using System.Collections.Generic;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Shapes;

namespace ArchDsl.Dsl.Blocks.LightViT
{
    /// <summary>
    /// LightViT's classification head (official, not in the paper): <c>norm</c> (LayerNorm) and <c>neck</c>
    /// (<c>neck.0</c> Linear C→neck, <c>neck.1</c> LayerNorm, GELU) applied to every token, global tokens included;
    /// the mean over all T + H·W tokens; <c>head</c> Linear neck→classes.
    /// Written as an inline row (name ""), so its parts are the top-level keys norm, neck.*, head.
    /// </summary>
    public sealed class LightViTHeadKind : BlockKind
    {
        public override string Name => "lightvit_head";
        public override string Summary => "LightViT head: LayerNorm, per-token neck (Linear, LayerNorm, GELU), mean over tokens, classifier";
        public override string RuntimeType => "ArchDsl.Runtime.Blocks.LightViTHead";
        public override ShapeForm Input => ShapeForm.Tokens;

        public override IReadOnlyList<ParamDecl> Params { get; } = new[]
        {
            ParamDecl.Int("neck", "width of the neck before the classifier"),
            ParamDecl.Int("classes", "output classes", 1, 1 << 20),
            ParamDecl.Number("norm_eps", "eps of norm", 1e-12, 1),
            ParamDecl.Number("neck_norm_eps", "eps of the neck's LayerNorm", 1e-12, 1),
        };

        public override Shape Trace(BlockArgs a, Shape x, Tracer t)
        {
            int c = x.Channels, neck = a.Int("neck"), classes = a.Int("classes");
            long n = x.Pixels + x.GlobalTokens;
            t.LayerNorm("norm", n * c, c);
            var necks = t.Scope("neck");
            necks.Linear("0", n, c, neck);
            necks.LayerNorm("1", n * neck, neck);
            necks.Activation("2", "gelu", n * neck);
            t.Mean("", n * neck);
            t.Linear("head", 1, neck, classes);
            // flops() adds neck_dim · 1000 whatever the number of classes
            t.Override(CountingConvention.LightViTOfficial.Name, 1000L * neck);
            return Shape.Vector(classes);
        }
    }
}
