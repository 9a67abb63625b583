using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Shapes;

namespace ArchDsl.Dsl.Blocks.Primitives
{
    /// <summary>Tensor.mean or Tensor.sum over some dimensions (PyTorch's numbering), keeping them as size 1 or not:
    /// a context vector summed over tokens, the mean of all tokens before a classifier.</summary>
    public abstract class ReductionKind : BlockKind
    {
        public override IReadOnlyList<ParamDecl> Params { get; } = new[]
        {
            ParamDecl.IntList("dims", "the dimensions reduced (PyTorch's numbering, the batch is 0)", -8, 8),
            ParamDecl.Bool("keepdim", "keep the reduced dimensions with size 1").WithDefault(false),
        };

        protected abstract string Method { get; }

        public override string Inline(BlockArgs args, IReadOnlyList<Operand> operands) =>
            $"{operands[0].Tensor}.{Method}({CSharpDims(args)}, keepdim: {(args.Bool("keepdim") ? "true" : "false")})";

        private static string CSharpDims(BlockArgs a) =>
            "new long[] { " + string.Join(", ", a.Get("dims").Items.Select(i => ((long)i.Number).ToString(CultureInfo.InvariantCulture))) + " }";

        protected override Shape Trace(BlockArgs a, Shape x, Tracer t)
        {
            var axes = a.Get("dims").Items.Select(i => x.Axis((int)i.Number, Name)).Distinct().ToList();
            Record(t, x.Elements);
            bool keep = a.Bool("keepdim");
            var dims = new List<int>();
            int spatial = 0;
            for (int i = 0; i < x.Rank; i++)
            {
                bool reduced = axes.Contains(i);
                if (reduced && !keep) continue;
                if (!reduced && x.IsSpatial(i)) spatial |= 1 << dims.Count;
                dims.Add(reduced ? 1 : x.Dims[i]);
            }
            return Shape.Of(dims.ToArray(), spatial, batchFactor: x.BatchFactor);
        }

        protected abstract void Record(Tracer t, long inputElements);
    }

    public sealed class MeanKind : ReductionKind
    {
        public override string Name => "mean";
        public override string Summary => "mean over dimensions (Tensor.mean)";
        protected override string Method => "mean";
        protected override void Record(Tracer t, long inputElements) => t.Mean("", inputElements);
    }

    public sealed class SumKind : ReductionKind
    {
        public override string Name => "sum";
        public override string Summary => "sum over dimensions (Tensor.sum)";
        protected override string Method => "sum";
        protected override void Record(Tracer t, long inputElements) => t.Sum("", inputElements);
    }
}
