using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Shapes;

namespace ArchDsl.Dsl.Blocks.Primitives
{
    /// <summary>torch.chunk into equal parts along one dimension; name them with <c>as:</c>.</summary>
    public sealed class ChunkKind : BlockKind
    {
        public override string Name => "chunk";
        public override string Summary => "splits a dimension into equal parts (torch.chunk)";

        public override IReadOnlyList<ParamDecl> Params { get; } = new[]
        {
            ParamDecl.Int("chunks", "number of parts (they must divide the dimension)", 1, 1024),
            ParamDecl.Int("dim", "the dimension split (PyTorch's numbering, the batch is 0)", -8, 8).WithDefault(1),
        };

        public override int Outputs(BlockArgs args) => args.Int("chunks");

        public override string Inline(BlockArgs args, IReadOnlyList<Operand> operands) =>
            $"{operands[0].Tensor}.chunk({args.Int("chunks").ToString(CultureInfo.InvariantCulture)}, {args.Int("dim").ToString(CultureInfo.InvariantCulture)})";

        public override string OutputAccess(string value, int index) => $"{value}[{index.ToString(CultureInfo.InvariantCulture)}]";

        public override IReadOnlyList<Shape> Trace(BlockArgs a, IReadOnlyList<Shape> inputs, Tracer t)
        {
            var x = inputs[0];
            int axis = x.Axis(a.Int("dim"), "chunk"), chunks = a.Int("chunks");
            t.Require(x.Dims[axis] % chunks == 0 && !x.IsSpatial(axis), Diagnostics.DiagnosticId.HeadsDoNotDivide,
                $"{t.PathOf("")}: {chunks} chunks do not divide dimension {a.Int("dim")} of {x}");
            return SplitKind.Parts(x, axis, Enumerable.Repeat(x.Dims[axis] / chunks, chunks).ToArray(), t);
        }
    }
}
