using System.Collections.Generic;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Shapes;

namespace ArchDsl.Dsl.Blocks.CasViT
{
    /// <summary>DeiT-style classifier pair <c>head</c> + <c>dist_head</c> (two Linear layers on the pooled features);
    /// at inference the output is their mean. CAS-ViT builds it by default (RCViT(distillation=True)) and its published
    /// parameter counts include it.</summary>
    public sealed class DistillationHeadKind : BlockKind
    {
        public override string Name => "distillation_head";
        public override string Summary => "head + dist_head linear classifiers, averaged at inference";
        public override string RuntimeType => "ArchDsl.Runtime.Blocks.DistillationHead";
        public override ShapeForm Input => ShapeForm.Vector;

        public override IReadOnlyList<ParamDecl> Params { get; } = new[]
        {
            ParamDecl.Int("classes", "output classes of each head", 1, 1 << 20),
        };

        public override IEnumerable<ConstructorArg> ConstructorArgs(BlockArgs args, Shape input)
        {
            yield return new ConstructorArg("in_features", Literal(input.Channels));
            yield return new ConstructorArg("classes", Literal(args.Int("classes")));
        }

        public override Shape Trace(BlockArgs a, Shape x, Tracer t)
        {
            int classes = a.Int("classes");
            t.Linear("head", 1, x.Channels, classes);
            t.Linear("dist_head", 1, x.Channels, classes);
            t.Elementwise("", classes, "mean of the two heads");
            return Shape.Vector(classes);
        }
    }
}
