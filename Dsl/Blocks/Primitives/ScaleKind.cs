using System.Collections.Generic;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Shapes;
using ArchDsl.Dsl.Text;

namespace ArchDsl.Dsl.Blocks.Primitives
{
    /// <summary>Multiplies by a constant (e.g. 0.5 to average two classifier heads, an attention scale).</summary>
    public sealed class ScaleKind : BlockKind
    {
        public override string Name => "scale";
        public override string Summary => "multiplies by a constant";

        public override IReadOnlyList<ParamDecl> Params { get; } = new[]
        {
            ParamDecl.Number("factor", "the constant", -1e12, 1e12),
        };

        public override string Inline(BlockArgs args, IReadOnlyList<Operand> operands) => $"{operands[0].Tensor} * {CSharp.Literal(args.Number("factor"))}";

        protected override Shape Trace(BlockArgs a, Shape x, Tracer t)
        {
            t.Elementwise("", x.Elements, "scale");
            return x;
        }
    }
}
