using System.Collections.Generic;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Shapes;

namespace ArchDsl.Dsl.Blocks.Primitives
{
    /// <summary>Stochastic depth (torchvision StochasticDepth, timm DropPath): in training, drops a residual branch per
    /// sample (mode row) or for the whole batch (mode batch); the identity in eval.</summary>
    public sealed class DropPathKind : BlockKind
    {
        public override string Name => "drop_path";
        public override string Summary => "stochastic depth on a residual branch (identity in eval)";
        public override string RuntimeType => "ArchDsl.Runtime.DropPath";
        protected override bool TakesInputChannels => false;

        public override IReadOnlyList<ParamDecl> Params { get; } = new[]
        {
            ParamDecl.Number("p", "probability of dropping the branch in training", 0, 1),
            ParamDecl.Choice("mode", "row: per sample; batch: one draw for the batch", "", "row", "batch").WithDefault("row"),
        };

        public override IEnumerable<ConstructorArg> ConstructorArgs(BlockArgs a, IReadOnlyList<Shape> inputs)
        {
            yield return new ConstructorArg("p", a.Number("p"));
            yield return new ConstructorArg("mode", a.Text("mode"));
        }

        protected override Shape Trace(BlockArgs a, Shape x, Tracer t) => x;
    }
}
