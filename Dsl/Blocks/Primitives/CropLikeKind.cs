using System;
using System.Collections.Generic;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Shapes;

namespace ArchDsl.Dsl.Blocks.Primitives
{
    /// <summary>The top-left H×W of a map, H×W the size of a second value (from: [x, reference]): <c>x[:, :, :H, :W]</c>,
    /// a view, no copy. Undoes padding at the bottom and right, as after ceil-mode pooling and a transposed convolution
    /// back up (p·⌈H/p⌉ ≥ H), or Swin's padding to a multiple of the window; a map already that size passes unchanged.</summary>
    public sealed class CropLikeKind : BlockKind
    {
        public override string Name => "crop_like";
        public override string Summary => "keeps the top-left H×W of a map, the size of another (x[:, :, :H, :W])";
        public override int MinInputs => 2;
        public override int MaxInputs => 2;
        public override IReadOnlyList<ParamDecl> Params { get; } = Array.Empty<ParamDecl>();

        public override string Inline(BlockArgs args, IReadOnlyList<Operand> operands) =>
            $"{operands[0].Tensor}.narrow(2, 0, {operands[1].Tensor}.shape[2]).narrow(3, 0, {operands[1].Tensor}.shape[3])";

        public override IReadOnlyList<Shape> Trace(BlockArgs a, IReadOnlyList<Shape> inputs, Tracer t)
        {
            var (x, reference) = (inputs[0], inputs[1]);
            t.Require(x.Rank == 3 && reference.Rank == 3, Diagnostics.DiagnosticId.FlowMismatch,
                $"{t.PathOf("")}: crop_like needs two maps [B, C, H, W], not {x} and {reference}");
            t.Require(x.BatchFactor == reference.BatchFactor, Diagnostics.DiagnosticId.FlowMismatch,
                $"{t.PathOf("")}: crop_like needs maps of one batch, not {x} and {reference}");
            t.Require(x.Dims[1] >= reference.Dims[1] && x.Dims[2] >= reference.Dims[2], Diagnostics.DiagnosticId.SpatialNotDivisible,
                $"{t.PathOf("")}: a {x.Dims[1]}×{x.Dims[2]} map cannot be cropped to {reference.Dims[1]}×{reference.Dims[2]}");
            if (x.Dims[1] == reference.Dims[1] && x.Dims[2] == reference.Dims[2]) return new[] { x };
            return new[] { x.WithDims(new[] { x.Dims[0], reference.Dims[1], reference.Dims[2] }, (reference.Spatial & 0b110) | (x.Spatial & 1)) with { Grid = null } };
        }
    }
}
