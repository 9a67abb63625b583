using System;
using System.Collections.Generic;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Shapes;

namespace ArchDsl.Dsl.Blocks.Primitives
{
    /// <summary>A map [B, C, H, W] as tokens [B, H·W, C], row-major (<c>x.flatten(2).transpose(1, 2)</c>, what ViT does
    /// after its patch embedding); the tokens remember their H×W grid.</summary>
    public sealed class MapToTokensKind : BlockKind
    {
        public override string Name => "map_to_tokens";
        public override string Summary => "[B, C, H, W] → [B, H·W, C] tokens, keeping the grid";
        public override IReadOnlyList<ParamDecl> Params { get; } = Array.Empty<ParamDecl>();

        public override string Inline(BlockArgs args, IReadOnlyList<Operand> operands) => $"{operands[0].Tensor}.flatten(2).transpose(1, 2)";

        public override (string Height, string Width)? GridOf(BlockArgs args, IReadOnlyList<Operand> operands) =>
            ($"{operands[0].Tensor}.size(2)", $"{operands[0].Tensor}.size(3)");

        protected override Shape Trace(BlockArgs a, Shape x, Tracer t)
        {
            t.Require(x.Rank == 3, Diagnostics.DiagnosticId.FlowMismatch, $"{t.PathOf("")}: map_to_tokens needs a map [B, C, H, W], not {x}");
            return Shape.Of(new[] { x.Dims[1] * x.Dims[2], x.Dims[0] }, x.IsSpatial(1) || x.IsSpatial(2) ? 1 : 0,
                new Grid(0, x.Dims[1], x.Dims[2], 0), x.BatchFactor);
        }
    }
}
