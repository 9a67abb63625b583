using System.Collections.Generic;
using System.Linq;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Shapes;

namespace ArchDsl.Dsl.Blocks.Primitives
{
    /// <summary>Reorders dimensions (torchvision.ops.Permute; PyTorch's numbering, the batch stays first), e.g.
    /// [0, 2, 3, 1] for a channels-last map.</summary>
    public sealed class PermuteKind : BlockKind
    {
        public override string Name => "permute";
        public override string Summary => "reorders dimensions (torchvision.ops.misc.Permute)";
        public override string RuntimeType => "ArchDsl.Runtime.Permute";
        protected override bool TakesInputChannels => false;

        public override IReadOnlyList<ParamDecl> Params { get; } = new[]
        {
            ParamDecl.IntList("dims", "the new order of the dimensions, the batch (0) first", 0, 8),
        };

        protected override Shape Trace(BlockArgs a, Shape x, Tracer t)
        {
            var order = a.Get("dims").Items.Select(i => (int)i.Number).ToArray();
            t.Require(order.Length == x.Rank + 1 && order[0] == 0 && order.OrderBy(d => d).SequenceEqual(Enumerable.Range(0, x.Rank + 1)),
                Diagnostics.DiagnosticId.FlowMismatch,
                $"{t.PathOf("")}: permute [{string.Join(", ", order)}] must order all {x.Rank + 1} dimensions of {x}, the batch (0) first");
            var dims = order.Skip(1).Select(d => x.Dims[d - 1]).ToArray();
            int spatial = 0;
            for (int i = 1; i < order.Length; i++)
                if (x.IsSpatial(order[i] - 1)) spatial |= 1 << (i - 1);
            return Shape.Of(dims, spatial, batchFactor: x.BatchFactor);
        }
    }
}
