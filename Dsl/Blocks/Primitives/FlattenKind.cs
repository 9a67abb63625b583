using System.Collections.Generic;
using System.Linq;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Shapes;

namespace ArchDsl.Dsl.Blocks.Primitives
{
    /// <summary>torch.nn.Flatten(start_dim, end_dim): merges a run of dimensions (PyTorch's numbering, the batch is 0).</summary>
    public sealed class FlattenKind : BlockKind
    {
        public override string Name => "flatten";
        public override string Summary => "merges dimensions start..end (torch.nn.Flatten)";
        public override string RuntimeType => "ArchDsl.Runtime.Flatten";
        protected override bool TakesInputChannels => false;

        public override IReadOnlyList<ParamDecl> Params { get; } = new[]
        {
            ParamDecl.Int("start", "first dimension merged (1: the first after the batch)", -8, 8).WithDefault(1).AsArgument("start_dim"),
            ParamDecl.Int("end", "last dimension merged (−1: the last)", -8, 8).WithDefault(-1).AsArgument("end_dim"),
        };

        protected override Shape Trace(BlockArgs a, Shape x, Tracer t)
        {
            int start = x.Axis(a.Int("start"), "flatten"), end = x.Axis(a.Int("end"), "flatten");
            t.Require(start <= end, Diagnostics.DiagnosticId.FlowMismatch, $"{t.PathOf("")}: flatten from dim {a.Int("start")} to {a.Int("end")} of {x} is empty");
            var dims = new List<int>();
            int spatial = 0;
            for (int i = 0; i < x.Rank; i++)
            {
                if (i > start && i <= end)
                {
                    dims[dims.Count - 1] *= x.Dims[i];
                    if (x.IsSpatial(i)) spatial |= 1 << (dims.Count - 1);
                    continue;
                }
                if (x.IsSpatial(i)) spatial |= 1 << dims.Count;
                dims.Add(x.Dims[i]);
            }
            return Shape.Of(dims.ToArray(), spatial, batchFactor: x.BatchFactor);
        }
    }
}
