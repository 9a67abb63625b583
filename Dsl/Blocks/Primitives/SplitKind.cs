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
            ParamDecl.IntList("sizes", "the size of each part; they sum to the dimension", 1, 1 << 24),
            ParamDecl.Int("dim", "the dimension split (PyTorch's numbering, the batch is 0)", -8, 8).WithDefault(1),
        };

        public override int Outputs(BlockArgs args) => args.Get("sizes").Items.Count;

        public override string Inline(BlockArgs args, IReadOnlyList<Operand> operands) =>
            $"{operands[0].Tensor}.split({Text.CSharp.Literal(ConstructorArg.From(Params[0], args.Get("sizes")))}, {args.Int("dim").ToString(CultureInfo.InvariantCulture)})";

        public override string OutputAccess(string value, int index) => $"{value}[{index.ToString(CultureInfo.InvariantCulture)}]";

        public override IReadOnlyList<Shape> Trace(BlockArgs a, IReadOnlyList<Shape> inputs, Tracer t)
        {
            var x = inputs[0];
            var sizes = a.Get("sizes").Items.Select(i => (int)i.Number).ToArray();
            return Parts(x, x.Axis(a.Int("dim"), t.PathOf("") + " split"), sizes, t);
        }

        /// <summary>The parts of <paramref name="x"/> split along <paramref name="axis"/>; a part made of a grid's pixels keeps the grid.</summary>
        internal static Shape[] Parts(Shape x, int axis, int[] sizes, Tracer t)
        {
            t.Require(sizes.Sum() == x.Dims[axis], Diagnostics.DiagnosticId.FlowMismatch,
                $"{t.PathOf("")}: parts {string.Join(" + ", sizes)} = {sizes.Sum()} do not make dimension {axis + 1} of {x}");
            t.Require(!x.IsSpatial(axis) || (x.Grid is { } g0 && g0.Axis == axis), Diagnostics.DiagnosticId.FlowMismatch,
                $"{t.PathOf("")}: dimension {axis + 1} of {x} depends on the input size; fixed part sizes cannot split it");
            var parts = new Shape[sizes.Length];
            int start = 0;
            for (int i = 0; i < sizes.Length; i++)
            {
                var part = x.WithDim(axis, sizes[i], false);
                if (x.Grid is { } g && g.Axis == axis && start + sizes[i] == x.Dims[axis] && start == g.Prefix)
                    part = x.WithDim(axis, sizes[i], true) with { Grid = g with { Prefix = 0 } };
                parts[i] = part;
                start += sizes[i];
            }
            return parts;
        }
    }
}
