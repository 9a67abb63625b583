using System.Collections.Generic;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Shapes;
using ArchDsl.Dsl.Text;

namespace ArchDsl.Dsl.Blocks.Primitives
{
    /// <summary>softmax(q·scale @ kᵀ) @ v over the last two dimensions of q [..., N, d], k [..., M, d], v [..., M, e]
    /// (PyTorch 2's F.scaled_dot_product_attention without masks); scale 0 means 1/√d.</summary>
    public sealed class ScaledDotProductAttentionKind : BlockKind
    {
        public override string Name => "scaled_dot_product_attention";
        public override string Summary => "softmax(q kᵀ · scale) v (F.scaled_dot_product_attention)";
        public override int MinInputs => 3;
        public override int MaxInputs => 3;

        public override IReadOnlyList<ParamDecl> Params { get; } = new[]
        {
            ParamDecl.Number("scale", "multiplies q before the product (0: 1/√d, the default)", 0, 1e6).WithDefault(0.0),
        };

        public override string Inline(BlockArgs args, IReadOnlyList<Operand> operands) =>
            $"global::ArchDsl.Runtime.F.scaled_dot_product_attention({operands[0].Tensor}, {operands[1].Tensor}, {operands[2].Tensor}" +
            (args.Number("scale") > 0 ? $", scale: {CSharp.Literal(args.Number("scale"))})" : ")");

        public override IReadOnlyList<Shape> Trace(BlockArgs a, IReadOnlyList<Shape> inputs, Tracer t)
        {
            var (q, k, v) = (inputs[0], inputs[1], inputs[2]);
            int r = q.Rank;
            bool fits = r >= 2 && k.Rank == r && v.Rank == r && q.Dims[r - 1] == k.Dims[r - 1] && k.Dims[r - 2] == v.Dims[r - 2];
            for (int i = 0; fits && i < r - 2; i++) fits = q.Dims[i] == k.Dims[i] && q.Dims[i] == v.Dims[i];
            t.Require(fits, Diagnostics.DiagnosticId.FlowMismatch, $"{t.PathOf("")}: attention needs q [..., N, d], k [..., M, d], v [..., M, e], not {q}, {k}, {v}");
            long count = q.BatchFactor;
            for (int i = 0; i < r - 2; i++) count *= q.Dims[i];
            int n = q.Dims[r - 2], d = q.Dims[r - 1], m = k.Dims[r - 2], e = v.Dims[r - 1];
            t.Elementwise("", q.Elements, "q · scale");
            t.Matmul("", count, n, d, m);
            t.Softmax("", count * n * m);
            t.Matmul("", count, n, m, e);
            return new[] { q.WithDim(r - 1, e, false) };
        }
    }
}
