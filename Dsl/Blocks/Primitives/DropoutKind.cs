using System.Collections.Generic;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Shapes;

namespace ArchDsl.Dsl.Blocks.Primitives
{
    /// <summary>torch.nn.Dropout: zeroes elements with probability p in training; the identity in eval.</summary>
    public sealed class DropoutKind : BlockKind
    {
        public override string Name => "dropout";
        public override string Summary => "dropout (torch.nn.Dropout; identity in eval)";
        public override string RuntimeType => "ArchDsl.Runtime.Dropout";
        protected override bool TakesInputChannels => false;

        public override IReadOnlyList<ParamDecl> Params { get; } = new[]
        {
            ParamDecl.Number("p", "probability of zeroing an element in training", 0, 1).WithDefault(0.5),
        };

        protected override Shape Trace(BlockArgs a, Shape x, Tracer t) => x;
    }
}
