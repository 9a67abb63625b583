using System.Collections.Generic;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Shapes;

namespace ArchDsl.Dsl.Blocks.Primitives
{
    /// <summary>torch.nn.GroupNorm over the channels of a map (groups 1: cvnets' layer_norm_2d).</summary>
    public sealed class GroupNormKind : BlockKind
    {
        public override string Name => "groupnorm";
        public override string Summary => "group normalisation (torch.nn.GroupNorm)";
        public override string RuntimeType => "ArchDsl.Runtime.GroupNorm";

        public override IReadOnlyList<ParamDecl> Params { get; } = new[]
        {
            ParamDecl.Int("groups", "channel groups normalised together (1: all channels)", 1, 65536).AsArgument("num_groups"),
            ParamDecl.Number("eps", "added to the variance (PyTorch's default 1e-5)", 1e-12, 1).WithDefault(1e-5),
            ParamDecl.Bool("affine", "learnable weight and bias").WithDefault(true),
        };

        public override IEnumerable<ConstructorArg> ConstructorArgs(BlockArgs args, IReadOnlyList<Shape> inputs)
        {
            yield return new ConstructorArg("num_groups", (long)args.Int("groups"));
            yield return new ConstructorArg("num_channels", (long)inputs[0].Dims[0]);
            yield return new ConstructorArg("eps", args.Number("eps"));
            yield return new ConstructorArg("affine", args.Bool("affine"));
        }

        protected override Shape Trace(BlockArgs a, Shape x, Tracer t)
        {
            t.Require(x.Rank >= 2, Diagnostics.DiagnosticId.FlowMismatch, $"{t.PathOf("")}: groupnorm needs [B, C, …], not {x}");
            return t.GroupNorm("", x, a.Int("groups"), a.Bool("affine"));
        }
    }
}
