using System.Collections.Generic;
using System.Globalization;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Shapes;

namespace ArchDsl.Dsl.Blocks.Primitives
{
    /// <summary>One index of a dimension, which disappears (Tensor.select; ViT's class token <c>x[:, 0]</c>).</summary>
    public sealed class SelectKind : BlockKind
    {
        public override string Name => "select";
        public override string Summary => "one index of a dimension (x[:, i])";

        public override IReadOnlyList<ParamDecl> Params { get; } = new[]
        {
            ParamDecl.Int("dim", "the dimension (PyTorch's numbering, the batch is 0)", -8, 8),
            ParamDecl.Int("index", "the index kept", 0, 1 << 24),
        };

        public override string Inline(BlockArgs args, IReadOnlyList<Operand> operands) =>
            $"{operands[0].Tensor}.select({args.Int("dim").ToString(CultureInfo.InvariantCulture)}, {args.Int("index").ToString(CultureInfo.InvariantCulture)})";

        protected override Shape Trace(BlockArgs a, Shape x, Tracer t)
        {
            int axis = x.Axis(a.Int("dim"), "select");
            t.Require(a.Int("index") < x.Dims[axis], Diagnostics.DiagnosticId.OutOfRange, $"{t.PathOf("")}: index {a.Int("index")} is outside dimension {a.Int("dim")} of {x}");
            var dims = new List<int>();
            int spatial = 0;
            for (int i = 0; i < x.Rank; i++)
            {
                if (i == axis) continue;
                if (x.IsSpatial(i)) spatial |= 1 << dims.Count;
                dims.Add(x.Dims[i]);
            }
            return Shape.Of(dims.ToArray(), spatial, batchFactor: x.BatchFactor);
        }
    }
}
