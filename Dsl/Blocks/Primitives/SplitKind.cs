using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Shapes;

namespace ArchDsl.Dsl.Blocks.Primitives
{
    /// <summary>torch.split into parts of the given sizes along one dimension (e.g. q, k, v from one projection; the
    /// extra tokens from a grid's). Name the parts with <c>as: [q, k, v]</c>.</summary>
    public sealed class SplitKind : BlockKind
    {
        public override string Name => "split";
        public override string Summary => "splits a dimension into parts of given sizes (torch.split)";

        public override IReadOnlyList<ParamDecl> Params { get; } = new[]
        {
            ParamDecl.IntList("sizes", "the size of each part; they sum to the dimension, and one may be −1: the rest (e.g. [8, -1] splits 8 global tokens from the image's)", -1, 1 << 24),
            ParamDecl.Int("dim", "the dimension split (PyTorch's numbering, the batch is 0)", -8, 8).WithDefault(1),
        };

        public override int Outputs(BlockArgs args) => args.Get("sizes").Items.Count;

        public override string Inline(BlockArgs args, IReadOnlyList<Operand> operands)
        {
            var x = operands[0];
            var sizes = Sizes(args);
            int dim = args.Int("dim");
            long known = sizes.Where(s => s >= 0).Sum();
            var parts = sizes.Select(s => s >= 0 ? s.ToString(CultureInfo.InvariantCulture)
                : $"{x.Tensor}.size({dim.ToString(CultureInfo.InvariantCulture)}) - {known.ToString(CultureInfo.InvariantCulture)}");
            return $"{x.Tensor}.split(new long[] {{ {string.Join(", ", parts)} }}, {dim.ToString(CultureInfo.InvariantCulture)})";
        }

        private static int[] Sizes(BlockArgs a) => a.Get("sizes").Items.Select(i => (int)i.Number).ToArray();

        public override string OutputAccess(string value, int index) => $"{value}[{index.ToString(CultureInfo.InvariantCulture)}]";

        public override IReadOnlyList<Shape> Trace(BlockArgs a, IReadOnlyList<Shape> inputs, Tracer t)
        {
            var x = inputs[0];
            var sizes = Sizes(a);
            int axis = x.Axis(a.Int("dim"), "split");
            t.Require(sizes.Count(s => s < 0) <= 1 && sizes.All(s => s != 0), Diagnostics.DiagnosticId.OutOfRange,
                $"{t.PathOf("")}: split sizes [{string.Join(", ", sizes)}] must be positive, with at most one −1 (the rest)");
            int rest = x.Dims[axis] - sizes.Where(s => s > 0).Sum();
            t.Require(!sizes.Contains(-1) || rest > 0, Diagnostics.DiagnosticId.FlowMismatch,
                $"{t.PathOf("")}: nothing is left for the −1 part of dimension {a.Int("dim")} of {x}");
            return Parts(x, axis, sizes.Select(s => s < 0 ? rest : s).ToArray(), t, restPart: Array.IndexOf(sizes, -1));
        }

        /// <summary>The parts of <paramref name="x"/> split along <paramref name="axis"/>; a part made of a grid's pixels keeps the grid.</summary>
        /// <param name="restPart">The part sized "the rest" (−1), which may depend on the input size; −1 for none.</param>
        internal static Shape[] Parts(Shape x, int axis, int[] sizes, Tracer t, int restPart = -1)
        {
            t.Require(sizes.Sum() == x.Dims[axis], Diagnostics.DiagnosticId.FlowMismatch,
                $"{t.PathOf("")}: parts {string.Join(" + ", sizes)} = {sizes.Sum()} do not make dimension {axis + 1} of {x}");
            t.Require(!x.IsSpatial(axis) || restPart >= 0, Diagnostics.DiagnosticId.FlowMismatch,
                $"{t.PathOf("")}: dimension {axis + 1} of {x} depends on the input size; give the part that takes the rest as −1");
            var parts = new Shape[sizes.Length];
            int start = 0;
            for (int i = 0; i < sizes.Length; i++)
            {
                var part = x.WithDim(axis, sizes[i], i == restPart && x.IsSpatial(axis));
                if (x.Grid is { } g && g.Axis == axis && start + sizes[i] == x.Dims[axis] && start == g.Prefix)
                    part = x.WithDim(axis, sizes[i], true) with { Grid = g with { Prefix = 0 } };
                parts[i] = part;
                start += sizes[i];
            }
            return parts;
        }
    }
}
