using System.Collections.Generic;
using System.Globalization;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Diagnostics;
using ArchDsl.Dsl.Shapes;

namespace ArchDsl.Dsl.Blocks.Primitives
{
    /// <summary>The parameters and block count unfold and fold share (one definition of the sliding-block rule).</summary>
    internal static class SlidingBlocks
    {
        public static IReadOnlyList<ParamDecl> Params() => new[]
        {
            ParamDecl.Int("kernel", "block size k", 1, 64),
            ParamDecl.Int("stride", "step between blocks", 1, 64).WithDefault(1),
            ParamDecl.Int("padding", "zero padding on each side", 0, 64).WithDefault(0),
            ParamDecl.Int("dilation", "spacing of the block's taps", 1, 64).WithDefault(1),
        };

        public static string Arguments(BlockArgs a) =>
            string.Format(CultureInfo.InvariantCulture, "{0}, dilation: {1}, padding: {2}, stride: {3}",
                a.Int("kernel"), a.Int("dilation"), a.Int("padding"), a.Int("stride"));

        /// <summary>Blocks along each axis: floor((size + 2·padding − dilation·(k − 1) − 1) / stride) + 1, as PyTorch.</summary>
        public static (int H, int W) Count(BlockArgs a, int height, int width, Tracer t)
        {
            int k = a.Int("kernel"), s = a.Int("stride"), p = a.Int("padding"), d = a.Int("dilation");
            int h = Shape.ConvOut(height, k, s, p, d), w = Shape.ConvOut(width, k, s, p, d);
            t.Require(h >= 1 && w >= 1, DiagnosticId.SpatialNotDivisible,
                $"{t.PathOf("")}: a {k}×{k} block with stride {s} and padding {p} does not fit a {height}×{width} map");
            return (h, w);
        }
    }
}
