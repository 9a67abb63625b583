using System;
using System.Collections.Generic;
using System.Linq;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Shapes;

namespace ArchDsl.Dsl.Blocks.Primitives
{
    /// <summary>The sum of values of one shape (a residual, merged parallel branches).</summary>
    public sealed class AddKind : BlockKind
    {
        public override string Name => "add";
        public override string Summary => "element-wise sum of values of the same shape";
        public override int MinInputs => 2;
        public override int MaxInputs => 64;
        public override IReadOnlyList<ParamDecl> Params { get; } = Array.Empty<ParamDecl>();

        public override string Inline(BlockArgs args, IReadOnlyList<Operand> operands) => string.Join(" + ", operands.Select(o => o.Tensor));

        public override IReadOnlyList<Shape> Trace(BlockArgs a, IReadOnlyList<Shape> inputs, Tracer t)
        {
            var first = inputs[0];
            foreach (var other in inputs.Skip(1))
            {
                t.Require(other.Dims.Equals(first.Dims) && other.BatchFactor == first.BatchFactor, Diagnostics.DiagnosticId.FlowMismatch,
                    $"{t.PathOf("")}: adds {first} to {other}: the shapes differ");
                t.Elementwise("", first.Elements, "add");
            }
            return new[] { first with { Spatial = inputs.Aggregate(0, (m, s) => m | s.Spatial) } };
        }
    }
}
