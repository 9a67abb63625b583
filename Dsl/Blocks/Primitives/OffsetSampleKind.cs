using System.Collections.Generic;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Diagnostics;
using ArchDsl.Dsl.Shapes;

namespace ArchDsl.Dsl.Blocks.Primitives
{
    /// <summary>
    /// Deformable resampling (from: [x, offsets]): the map x [B, C, H, W] sampled bilinearly (F.grid_sample,
    /// align_corners = false) at a regular grid of reference points, the centres of the Ho×Wo cells of the offset field
    /// [B, 2, Ho, Wo], each moved by its predicted (Δx, Δy) in output pixels; the result is [B, C, Ho, Wo]. Zero offsets
    /// give the identity on a map of the offsets' size (a bilinear resize otherwise), so a zero-initialised predictor
    /// (<c>conv2d</c> with <c>zero_init: true</c>) starts from the plain grid. The Bilinear PE of Vo's MAT (PhD thesis,
    /// Univ. of Ulsan, 2023, §4.3.2, Fig. 4.3). Sampling is no multiply-accumulate: it counts as a bilinear
    /// interpolation (its output values; fvcore ×4) and the offsets' scaling and shift as element-wise ops, in the
    /// order the runtime runs them.
    /// </summary>
    public sealed class OffsetSampleKind : BlockKind
    {
        public override string Name => "offset_sample";
        public override string Summary => "samples a map bilinearly at reference points shifted by predicted offsets (F.grid_sample)";
        public override string RuntimeType => "ArchDsl.Runtime.OffsetSample";
        public override int MinInputs => 2;
        public override int MaxInputs => 2;

        public override IReadOnlyList<ParamDecl> Params { get; } = new[]
        {
            ParamDecl.Choice("padding_mode", "what is read outside the map (grid_sample's padding_mode)", "ArchDsl.Runtime.GridPadding",
                "zeros", "border", "reflection").WithDefault("zeros"),
        };

        public override IReadOnlyList<Shape> Trace(BlockArgs a, IReadOnlyList<Shape> inputs, Tracer t)
        {
            var (x, offsets) = (inputs[0], inputs[1]);
            t.Require(x.Rank == 3 && offsets.Rank == 3 && x.BatchFactor == offsets.BatchFactor, DiagnosticId.FlowMismatch,
                $"{t.PathOf("")}: offset_sample needs a map [B, C, H, W] and an offset field [B, 2, Ho, Wo], not {x} and {offsets}");
            t.Require(offsets.Channels == 2, DiagnosticId.FlowMismatch,
                $"{t.PathOf("")}: the offset field has {offsets.Channels} channels; offset_sample needs 2 (Δx, Δy)");
            var y = x.WithDims(new[] { x.Channels, offsets.Height, offsets.Width }, (offsets.Spatial & 0b110) | (x.Spatial & 1));
            long points = offsets.Elements;
            t.Elementwise("", points, "offsets to grid units");
            t.Elementwise("", points, "reference points + offsets");
            t.Interpolate("", y.Elements, "bilinear (grid_sample at the shifted points)");
            return new[] { y };
        }
    }
}
