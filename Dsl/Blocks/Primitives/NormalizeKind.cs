using System.Collections.Generic;
using System.Globalization;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Shapes;
using ArchDsl.Dsl.Text;

namespace ArchDsl.Dsl.Blocks.Primitives
{
    /// <summary>F.normalize: divides by the Lp norm along one dimension (XCiT's and XFormer's L2-normalised q and k).</summary>
    public sealed class NormalizeKind : BlockKind
    {
        public override string Name => "normalize";
        public override string Summary => "Lp normalisation along a dimension (F.normalize)";

        public override IReadOnlyList<ParamDecl> Params { get; } = new[]
        {
            ParamDecl.Number("p", "the norm's exponent", 1, 16).WithDefault(2.0),
            ParamDecl.Int("dim", "the dimension normalised (PyTorch's numbering, the batch is 0)", -8, 8),
            ParamDecl.Number("eps", "lower bound of the norm", 0, 1).WithDefault(1e-12),
        };

        public override string Inline(BlockArgs args, IReadOnlyList<Operand> operands) =>
            $"global::ArchDsl.Runtime.F.normalize({operands[0].Tensor}, p: {CSharp.Literal(args.Number("p"))}, dim: {args.Int("dim").ToString(CultureInfo.InvariantCulture)}, eps: {CSharp.Literal(args.Number("eps"))})";

        protected override Shape Trace(BlockArgs a, Shape x, Tracer t)
        {
            x.Axis(a.Int("dim"), "normalize");
            t.Elementwise("", x.Elements, "normalize");
            return x;
        }
    }
}
