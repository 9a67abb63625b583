using System.Collections.Generic;
using System.Linq;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Shapes;

namespace ArchDsl.Dsl.Blocks.Primitives
{
    /// <summary>torch.cat of several values along one dimension (PyTorch's numbering; 1: channels of a map, tokens of
    /// [B, N, C]). Tokens put before a grid's tokens become extra tokens of that grid.</summary>
    public sealed class ConcatKind : BlockKind
    {
        public override string Name => "concat";
        public override string Summary => "concatenation along a dimension (torch.cat)";
        public override int MinInputs => 2;
        public override int MaxInputs => 64;

        public override IReadOnlyList<ParamDecl> Params { get; } = new[]
        {
            ParamDecl.Int("dim", "the dimension joined (PyTorch's numbering, the batch is 0)", -8, 8).WithDefault(1),
        };

        public override string Inline(BlockArgs args, IReadOnlyList<Operand> operands) =>
            $"global::ArchDsl.Runtime.torch.cat(new[] {{ {string.Join(", ", operands.Select(o => o.Tensor))} }}, {args.Int("dim")})";

        public override IReadOnlyList<Shape> Trace(BlockArgs a, IReadOnlyList<Shape> inputs, Tracer t)
        {
            var first = inputs[0];
            int axis = first.Axis(a.Int("dim"), "concat");
            foreach (var other in inputs.Skip(1))
            {
                bool fits = other.Rank == first.Rank && other.BatchFactor == first.BatchFactor
                    && Enumerable.Range(0, first.Rank).All(i => i == axis || other.Dims[i] == first.Dims[i]);
                t.Require(fits, Diagnostics.DiagnosticId.FlowMismatch, $"{t.PathOf("")}: cannot concatenate {other} to {first} along dim {a.Int("dim")}");
            }
            int total = inputs.Sum(s => s.Dims[axis]);
            bool spatial = inputs.Any(s => s.IsSpatial(axis));
            var y = first.WithDim(axis, total, spatial);
            // [T extra tokens] + [grid tokens]: the grid keeps its pixels after T more extra tokens
            var last = inputs[inputs.Count - 1];
            if (last.Grid is { } g && g.Axis == axis)
                y = y with { Grid = g with { Prefix = g.Prefix + total - last.Dims[axis] } };
            else if (first.Grid is { } kept && kept.Axis != axis)
                y = y with { Grid = kept };
            return new[] { y };
        }
    }
}
