using System.Collections.Generic;
using System.Globalization;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Diagnostics;
using ArchDsl.Dsl.Shapes;

namespace ArchDsl.Dsl.Blocks.Primitives
{
    /// <summary>torch.nn.functional.unfold (im2col): the k×k blocks of a map [B, C, H, W], overlapping when the stride is
    /// below k, as columns [B, C·k·k, L] (L blocks in row-major order, which remember their grid for fold).</summary>
    public sealed class UnfoldKind : BlockKind
    {
        public override string Name => "unfold";
        public override string Summary => "sliding k×k blocks of a map as columns (F.unfold, im2col)";

        public override IReadOnlyList<ParamDecl> Params { get; } = SlidingBlocks.Params();

        public override string Inline(BlockArgs args, IReadOnlyList<Operand> operands) =>
            $"global::ArchDsl.Runtime.F.unfold({operands[0].Tensor}, {SlidingBlocks.Arguments(args)})";

        protected override Shape Trace(BlockArgs a, Shape x, Tracer t)
        {
            t.Require(x.Rank == 3, DiagnosticId.FlowMismatch, $"{t.PathOf("")}: unfold needs a map [B, C, H, W], not {x}");
            var (h, w) = SlidingBlocks.Count(a, x.Height, x.Width, t);
            int k = a.Int("kernel");
            var y = Shape.Of(new[] { x.Channels * k * k, h * w }, (x.Spatial & 0b110) != 0 ? 0b10 : 0, new Grid(1, h, w, 0), x.BatchFactor);
            t.Elementwise("", y.Elements, "unfold");
            return y;
        }
    }
}
