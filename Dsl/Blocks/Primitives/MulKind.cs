using System;
using System.Collections.Generic;
using System.Linq;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Shapes;

namespace ArchDsl.Dsl.Blocks.Primitives
{
    /// <summary>The element-wise product of two values, broadcasting as PyTorch does (a gate [B, C, 1, 1] or [B, 1, H, W]
    /// times a map).</summary>
    public sealed class MulKind : BlockKind
    {
        public override string Name => "mul";
        public override string Summary => "element-wise product, with broadcasting (gates)";
        public override int MinInputs => 2;
        public override int MaxInputs => 2;
        public override IReadOnlyList<ParamDecl> Params { get; } = Array.Empty<ParamDecl>();

        public override string Inline(BlockArgs args, IReadOnlyList<Operand> operands) => $"{operands[0].Tensor} * {operands[1].Tensor}";

        public override IReadOnlyList<Shape> Trace(BlockArgs a, IReadOnlyList<Shape> inputs, Tracer t)
        {
            var y = Broadcast(inputs[0], inputs[1], t);
            t.Elementwise("", y.Elements, "mul");
            return new[] { y };
        }

        /// <summary>PyTorch's broadcast of two shapes of one rank: each dimension equal, or 1 on one side.</summary>
        internal static Shape Broadcast(Shape a, Shape b, Tracer t)
        {
            bool fits = a.Rank == b.Rank && (a.BatchFactor == b.BatchFactor)
                && Enumerable.Range(0, a.Rank).All(i => a.Dims[i] == b.Dims[i] || a.Dims[i] == 1 || b.Dims[i] == 1);
            t.Require(fits, Diagnostics.DiagnosticId.FlowMismatch, $"{t.PathOf("")}: {a} and {b} do not broadcast");
            var dims = Enumerable.Range(0, a.Rank).Select(i => Math.Max(a.Dims[i], b.Dims[i])).ToArray();
            int spatial = 0;
            for (int i = 0; i < a.Rank; i++)
                if ((a.IsSpatial(i) && a.Dims[i] == dims[i]) || (b.IsSpatial(i) && b.Dims[i] == dims[i])) spatial |= 1 << i;
            var grid = a.Dims.SequenceEqual(dims) ? a.Grid : b.Dims.SequenceEqual(dims) ? b.Grid : null;
            return Shape.Of(dims, spatial, grid, a.BatchFactor);
        }
    }
}
