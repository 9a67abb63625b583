using System.Collections.Generic;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Shapes;

namespace ArchDsl.Dsl.Blocks.Primitives
{
    /// <summary>torch.nn.AdaptiveAvgPool2d(size): a map of any size to size×size (fvcore counts its input elements).</summary>
    public sealed class AdaptiveAvgPoolKind : BlockKind
    {
        public override string Name => "adaptive_avg_pool";
        public override string Summary => "adaptive average pooling to a fixed size (torch.nn.AdaptiveAvgPool2d)";
        public override string RuntimeType => "ArchDsl.Runtime.AdaptiveAvgPool2d";
        protected override bool TakesInputChannels => false;

        public override IReadOnlyList<ParamDecl> Params { get; } = new[]
        {
            ParamDecl.Int("size", "output height and width", 1, 4096).WithDefault(1).AsArgument("output_size"),
        };

        protected override Shape Trace(BlockArgs a, Shape x, Tracer t)
        {
            t.Require(x.Rank == 3, Diagnostics.DiagnosticId.FlowMismatch, $"{t.PathOf("")}: adaptive_avg_pool needs a map [B, C, H, W], not {x}");
            int size = a.Int("size");
            t.AdaptiveAvgPool("", x.Elements);
            return x.WithDims(new[] { x.Dims[0], size, size }, 0);
        }
    }
}
