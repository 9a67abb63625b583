using System.Collections.Generic;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Shapes;

namespace ArchDsl.Dsl.Blocks.Primitives
{
    /// <summary>torch.nn.Softmax along one dimension (a PyTorch dim: 0 is the batch, −1 the last).</summary>
    public sealed class SoftmaxKind : BlockKind
    {
        public override string Name => "softmax";
        public override string Summary => "softmax along a dimension (torch.nn.Softmax)";
        public override string RuntimeType => "ArchDsl.Runtime.Softmax";
        protected override bool TakesInputChannels => false;

        public override IReadOnlyList<ParamDecl> Params { get; } = new[]
        {
            ParamDecl.Int("dim", "the dimension whose entries sum to 1 (PyTorch's numbering, the batch is 0)", -8, 8).WithDefault(-1),
        };

        protected override Shape Trace(BlockArgs a, Shape x, Tracer t)
        {
            x.Axis(a.Int("dim"), "softmax");
            t.Softmax("", x.Elements);
            return x;
        }
    }
}
