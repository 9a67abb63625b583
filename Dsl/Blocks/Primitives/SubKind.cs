using System;
using System.Collections.Generic;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Shapes;

namespace ArchDsl.Dsl.Blocks.Primitives
{
    /// <summary>The element-wise difference of two values, broadcasting as PyTorch does (a map minus its mean).</summary>
    public sealed class SubKind : BlockKind
    {
        public override string Name => "sub";
        public override string Summary => "element-wise difference, with broadcasting (x − mean)";
        public override int MinInputs => 2;
        public override int MaxInputs => 2;
        public override IReadOnlyList<ParamDecl> Params { get; } = Array.Empty<ParamDecl>();

        public override string Inline(BlockArgs args, IReadOnlyList<Operand> operands) => $"{operands[0].Tensor} - {operands[1].Tensor}";

        public override IReadOnlyList<Shape> Trace(BlockArgs a, IReadOnlyList<Shape> inputs, Tracer t)
        {
            var y = MulKind.Broadcast(inputs[0], inputs[1], t);
            t.Elementwise("", y.Elements, "sub");
            return new[] { y };
        }
    }
}
