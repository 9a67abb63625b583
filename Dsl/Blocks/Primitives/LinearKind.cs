using System.Collections.Generic;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Shapes;

namespace ArchDsl.Dsl.Blocks.Primitives
{
    /// <summary>torch.nn.Linear on the last dimension, whatever the rank: a classifier on [B, C], a projection of every
    /// token of [B, N, C] or of every pixel of a channels-last map.</summary>
    public sealed class LinearKind : BlockKind
    {
        public override string Name => "linear";
        public override string Summary => "fully connected layer on the last dimension (torch.nn.Linear)";
        public override string RuntimeType => "ArchDsl.Runtime.Linear";

        public override IReadOnlyList<ParamDecl> Params { get; } = new[]
        {
            ParamDecl.Int("out", "output features", 1, 1 << 20).AsArgument("out_features"),
            ParamDecl.Bool("bias", "learnable bias"),
        };

        public override IEnumerable<ConstructorArg> ConstructorArgs(BlockArgs args, IReadOnlyList<Shape> inputs)
        {
            yield return new ConstructorArg("in_features", (long)inputs[0].Last);
            yield return new ConstructorArg("out_features", (long)args.Int("out"));
            yield return new ConstructorArg("bias", args.Bool("bias"));
        }

        protected override Shape Trace(BlockArgs a, Shape x, Tracer t)
        {
            int outFeatures = a.Int("out");
            // on a map [B, C, H, W] nn.Linear would act on W, which depends on the input size: always a mistake
            t.Require(!(x.Rank == 3 && x.IsSpatial(2)), Diagnostics.DiagnosticId.FlowMismatch,
                $"{t.PathOf("")}: a linear layer on the feature map {x} would act on its width: add a pooling row before it (or flatten, or permute to channels-last)");
            t.Linear("", x.Elements / x.Last, x.Last, outFeatures, a.Bool("bias"));
            return x.WithDim(x.Rank - 1, outFeatures, false);
        }
    }
}
