using System.Collections.Generic;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Shapes;

namespace ArchDsl.Dsl.Blocks.Primitives
{
    /// <summary>Learned tokens [1, count, C] put before the tokens [B, N, C] (ViT's class token, LightViT's global
    /// tokens). The row's name is the tensor's state_dict key (torchvision: <c>class_token</c>).</summary>
    public sealed class ClassTokenKind : BlockKind
    {
        public override string Name => "class_token";
        public override string Summary => "prepends learned tokens [1, count, C] (class or global tokens)";
        public override string RuntimeType => "ArchDsl.Runtime.ClassToken";
        public override bool OwnsTensor => true;
        protected override bool TakesInputChannels => false;

        public override IReadOnlyList<ParamDecl> Params { get; } = new[]
        {
            ParamDecl.Int("count", "how many tokens", 1, 65536).WithDefault(1),
        };

        public override IEnumerable<ConstructorArg> ConstructorArgs(BlockArgs args, IReadOnlyList<Shape> inputs)
        {
            yield return new ConstructorArg("dim", (long)inputs[0].Last);
            yield return new ConstructorArg("count", (long)args.Int("count"));
        }

        protected override Shape Trace(BlockArgs a, Shape x, Tracer t)
        {
            t.Require(x.Rank == 2 && x.BatchFactor == 1, Diagnostics.DiagnosticId.FlowMismatch, $"{t.PathOf("")}: class_token needs tokens [B, N, C], not {x}");
            int count = a.Int("count");
            t.Parameter("", (long)count * x.Dims[1], $"{count} learned token(s) of {x.Dims[1]}");
            var y = x.WithDim(0, x.Dims[0] + count, x.IsSpatial(0));
            return x.Grid is { Axis: 0 } g ? y with { Grid = g with { Prefix = g.Prefix + count } } : y;
        }
    }
}
