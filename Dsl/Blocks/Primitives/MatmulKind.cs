using System;
using System.Collections.Generic;
using System.Linq;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Shapes;

namespace ArchDsl.Dsl.Blocks.Primitives
{
    /// <summary>torch.matmul of two values of one rank: [..., m, k] @ [..., k, n] (the leading dimensions equal);
    /// <c>transpose: true</c> multiplies by the second's transpose, as in QKᵀ.</summary>
    public sealed class MatmulKind : BlockKind
    {
        public override string Name => "matmul";
        public override string Summary => "matrix product over the last two dimensions (torch.matmul)";
        public override int MinInputs => 2;
        public override int MaxInputs => 2;

        public override IReadOnlyList<ParamDecl> Params { get; } = new[]
        {
            ParamDecl.Bool("transpose", "multiply by the second value's transpose (its last two dimensions swapped)").WithDefault(false),
        };

        public override string Inline(BlockArgs args, IReadOnlyList<Operand> operands) =>
            $"global::ArchDsl.Runtime.torch.matmul({operands[0].Tensor}, {operands[1].Tensor}{(args.Bool("transpose") ? ".transpose(-2, -1)" : "")})";

        public override IReadOnlyList<Shape> Trace(BlockArgs a, IReadOnlyList<Shape> inputs, Tracer t)
        {
            var (x, y) = (inputs[0], inputs[1]);
            bool transpose = a.Bool("transpose");
            t.Require(x.Rank >= 2 && y.Rank == x.Rank && x.BatchFactor == y.BatchFactor, Diagnostics.DiagnosticId.FlowMismatch,
                $"{t.PathOf("")}: matmul needs two values of one rank ≥ 3 (with the batch), not {x} and {y}");
            int r = x.Rank;
            int k2 = transpose ? y.Dims[r - 1] : y.Dims[r - 2], n = transpose ? y.Dims[r - 2] : y.Dims[r - 1];
            bool fits = x.Dims[r - 1] == k2 && Enumerable.Range(0, r - 2).All(i => x.Dims[i] == y.Dims[i]);
            t.Require(fits, Diagnostics.DiagnosticId.FlowMismatch, $"{t.PathOf("")}: cannot multiply {x} by {y}{(transpose ? "ᵀ" : "")}");
            long count = x.BatchFactor;
            for (int i = 0; i < r - 2; i++) count *= x.Dims[i];
            t.Matmul("", count, x.Dims[r - 2], x.Dims[r - 1], n);
            int nSpatial = transpose ? (y.IsSpatial(r - 2) ? 1 : 0) : (y.IsSpatial(r - 1) ? 1 : 0);
            var result = x.WithDim(r - 1, n, nSpatial == 1);
            return new[] { result with { Grid = null } };
        }
    }
}
