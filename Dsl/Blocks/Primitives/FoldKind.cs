using System.Collections.Generic;
using System.Globalization;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Diagnostics;
using ArchDsl.Dsl.Shapes;

namespace ArchDsl.Dsl.Blocks.Primitives
{
    /// <summary>torch.nn.functional.fold (col2im): columns [B, C·k·k, L] summed back into a map [B, C, H, W] the size of
    /// a second value (from: [columns, like]), overlapping contributions added.</summary>
    public sealed class FoldKind : BlockKind
    {
        public override string Name => "fold";
        public override string Summary => "columns of k×k blocks summed back into a map the size of another (F.fold, col2im)";
        public override int MinInputs => 2;
        public override int MaxInputs => 2;

        public override IReadOnlyList<ParamDecl> Params { get; } = SlidingBlocks.Params();

        public override string Inline(BlockArgs args, IReadOnlyList<Operand> operands) =>
            $"global::ArchDsl.Runtime.F.fold({operands[0].Tensor}, ({operands[1].Tensor}.shape[2], {operands[1].Tensor}.shape[3]), {SlidingBlocks.Arguments(args)})";

        public override IReadOnlyList<Shape> Trace(BlockArgs a, IReadOnlyList<Shape> inputs, Tracer t)
        {
            var (cols, like) = (inputs[0], inputs[1]);
            t.Require(cols.Rank == 2 && like.Rank == 3, DiagnosticId.FlowMismatch,
                $"{t.PathOf("")}: fold needs columns [B, C·k·k, L] and a map [B, C, H, W] to take the size of, not {cols} and {like}");
            int k = a.Int("kernel");
            t.Require(cols.Dims[0] % (k * k) == 0, DiagnosticId.FlowMismatch,
                $"{t.PathOf("")}: fold's {cols.Dims[0]} rows are not channels × {k}·{k}");
            var (h, w) = SlidingBlocks.Count(a, like.Height, like.Width, t);
            t.Require(h * w == cols.Dims[1], DiagnosticId.FlowMismatch,
                $"{t.PathOf("")}: a {like.Height}×{like.Width} map has {h}×{w} = {h * w} blocks, but the columns hold {cols.Dims[1]}");
            var y = Shape.Of(new[] { cols.Dims[0] / (k * k), like.Height, like.Width }, like.Spatial & 0b110, null, cols.BatchFactor);
            t.Elementwise("", y.Elements, "fold");
            return new[] { y };
        }
    }
}
