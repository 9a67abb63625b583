using System;
using System.Collections.Generic;
using System.Linq;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Shapes;

namespace ArchDsl.Dsl.Blocks.Primitives
{
    /// <summary>Tensor.expand_as: the first value repeated along its size-1 dimensions to the second's shape
    /// (from: [x, like]); a view, no copy. LightViT's BiAttn pairs each token with the pooled vector this way.</summary>
    public sealed class ExpandAsKind : BlockKind
    {
        public override string Name => "expand_as";
        public override string Summary => "repeats size-1 dimensions to another value's shape (Tensor.expand_as)";
        public override int MinInputs => 2;
        public override int MaxInputs => 2;
        public override IReadOnlyList<ParamDecl> Params { get; } = Array.Empty<ParamDecl>();

        public override string Inline(BlockArgs args, IReadOnlyList<Operand> operands) => $"{operands[0].Tensor}.expand_as({operands[1].Tensor})";

        public override IReadOnlyList<Shape> Trace(BlockArgs a, IReadOnlyList<Shape> inputs, Tracer t)
        {
            var (x, like) = (inputs[0], inputs[1]);
            bool fits = x.Rank == like.Rank && x.BatchFactor == like.BatchFactor
                && Enumerable.Range(0, x.Rank).All(i => x.Dims[i] == like.Dims[i] || x.Dims[i] == 1);
            t.Require(fits, Diagnostics.DiagnosticId.FlowMismatch, $"{t.PathOf("")}: {x} cannot be expanded to {like}");
            return new[] { like with { Grid = null } };
        }
    }
}
