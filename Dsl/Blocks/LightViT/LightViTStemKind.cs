using System.Collections.Generic;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Diagnostics;
using ArchDsl.Dsl.Shapes;

namespace ArchDsl.Dsl.Blocks.LightViT
{
    /// <summary>
    /// LightViT's overlapping patch embedding (official ConvStem, <c>patch_embed</c>) followed by the learnable global
    /// tokens (<c>global_token</c>, [1, T, C]) prepended to the image tokens, at output width C with s = C/2:
    /// <c>stem.0</c> 3×3/2 conv 3→s, <c>stem.3</c> and <c>stem.6</c> 3×3 depthwise, <c>stem.9</c> 3×3/2 depthwise (all
    /// without bias, each followed by BatchNorm and GELU), <c>proj</c> 3×3/2 conv s→C with bias, then the map is
    /// flattened row-major into H/8·W/8 tokens and layer-normalised (<c>norm</c>).
    /// The token grid is H/patch × W/patch, as LightViT.flops() assumes, so H and W must be multiples of the patch.
    /// Written as an inline row (name ""): <c>global_token</c> is then a parameter of the model itself and, being one of
    /// the model's own parameters, the first state_dict key, as in the official model.
    /// </summary>
    public sealed class LightViTStemKind : BlockKind
    {
        public override string Name => "lightvit_stem";
        public override string Summary => "LightViT conv stem (stride 8, BN + GELU, proj, LayerNorm) and the prepended global tokens";
        public override string RuntimeType => "ArchDsl.Runtime.Blocks.LightViTStem";

        public override IReadOnlyList<ParamDecl> Params { get; } = new[]
        {
            ParamDecl.Int("out", "token width C (the stem's output channels)").AsArgument("out_channels"),
            // ConvStem's layers are fixed: three stride-2 convolutions, so 8 is the only patch size they realise
            ParamDecl.Int("patch", "total stride of the stem (official patch_size); H and W must be multiples of it", 8, 8),
            ParamDecl.Int("global_tokens", "number of learnable global tokens T", 1, 4096),
            ParamDecl.Number("norm_eps", "eps of the LayerNorm after proj", 1e-12, 1),
            ParamDecl.Number("bn_eps", "eps of the stem's BatchNorms (PyTorch's default 1e-5)", 1e-12, 1).WithDefault(1e-5),
        };

        public override Shape Trace(BlockArgs a, Shape x, Tracer t)
        {
            int c = a.Int("out"), s = c / 2, patch = a.Int("patch"), tokens = a.Int("global_tokens");
            if (x.Height % patch != 0 || x.Width % patch != 0)
                Tracer.Fail(DiagnosticId.SpatialNotDivisible,
                    $"{t.PathOf("patch_embed")}: {patch}×{patch} patches (the stem's total stride) do not tile the {x.Height}×{x.Width} input");

            t.Parameter("", (long)tokens * c, $"global tokens {tokens}×{c}");

            var embed = t.Scope("patch_embed");
            var stem = embed.Scope("stem");
            var y = stem.Conv2d("0", x, s, 3, 2, 1, bias: false);
            stem.BatchNorm2d("1", y);
            stem.Activation("2", "gelu", y.Elements);
            y = stem.Conv2d("3", y, s, 3, 1, 1, groups: s, bias: false);
            stem.BatchNorm2d("4", y);
            stem.Activation("5", "gelu", y.Elements);
            y = stem.Conv2d("6", y, s, 3, 1, 1, groups: s, bias: false);
            stem.BatchNorm2d("7", y);
            stem.Activation("8", "gelu", y.Elements);
            y = stem.Conv2d("9", y, s, 3, 2, 1, groups: s, bias: false);
            stem.BatchNorm2d("10", y);
            stem.Activation("11", "gelu", y.Elements);
            y = embed.Conv2d("proj", y, c, 3, 2, 1, bias: true);
            embed.LayerNorm("norm", y.Elements, c);
            return Shape.Tokens(c, y.Height, y.Width, tokens);
        }
    }
}
