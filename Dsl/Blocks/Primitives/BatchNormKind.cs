using System.Collections.Generic;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Shapes;

namespace ArchDsl.Dsl.Blocks.Primitives
{
    /// <summary>torch.nn.BatchNorm2d over the channels of a map; running statistics in eval, batch statistics in training.</summary>
    public sealed class BatchNormKind : BlockKind
    {
        public override string Name => "batchnorm";
        public override string Summary => "batch normalisation over channels (torch.nn.BatchNorm2d)";
        public override string RuntimeType => "ArchDsl.Runtime.BatchNorm2d";

        public override IReadOnlyList<ParamDecl> Params { get; } = new[]
        {
            ParamDecl.Number("eps", "added to the variance (PyTorch's default 1e-5)", 1e-12, 1).WithDefault(1e-5),
            ParamDecl.Number("momentum", "running-statistics update in training (PyTorch's default 0.1)", 0, 1).WithDefault(0.1),
        };

        protected override string InputChannelsArgument => "num_features";

        protected override Shape Trace(BlockArgs a, Shape x, Tracer t) => t.BatchNorm2d("", x);
    }
}
