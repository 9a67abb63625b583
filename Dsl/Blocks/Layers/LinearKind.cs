using System.Collections.Generic;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Shapes;

namespace ArchDsl.Dsl.Blocks.Layers
{
    /// <summary>torch.nn.Linear on a vector per image (e.g. a classifier after global pooling).</summary>
    public sealed class LinearKind : BlockKind
    {
        public override string Name => "linear";
        public override string Summary => "fully connected layer on pooled features (torch.nn.Linear)";
        public override string RuntimeType => "ArchDsl.Runtime.Linear";
        public override ShapeForm Input => ShapeForm.Vector;

        public override IReadOnlyList<ParamDecl> Params { get; } = new[]
        {
            ParamDecl.Int("out", "output features", 1, 1 << 20).AsArgument("out_features"),
            ParamDecl.Bool("bias", "learnable bias"),
        };

        public override IEnumerable<ConstructorArg> ConstructorArgs(BlockArgs args, Shape input)
        {
            yield return new ConstructorArg("in_features", Literal(input.Channels));
            yield return new ConstructorArg("out_features", Literal(args.Int("out")));
            yield return new ConstructorArg("bias", args.Bool("bias") ? "true" : "false");
        }

        public override Shape Trace(BlockArgs a, Shape x, Tracer t)
        {
            t.Linear("", 1, x.Channels, a.Int("out"), a.Bool("bias"));
            return Shape.Vector(a.Int("out"));
        }
    }
}
