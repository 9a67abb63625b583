using System.Collections.Generic;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Shapes;

namespace ArchDsl.Dsl.Blocks.Primitives
{
    /// <summary>Layer normalisation: over the last dimension (torch.nn.LayerNorm on tokens or a channels-last map), or
    /// over the channels of a map [B, C, H, W] (<c>over: channels</c>: torchvision's and timm's LayerNorm2d).</summary>
    public sealed class LayerNormKind : BlockKind
    {
        public override string Name => "layernorm";
        public override string Summary => "layer normalisation over the last dimension, or over the channels of a map";

        public override IReadOnlyList<ParamDecl> Params { get; } = new[]
        {
            ParamDecl.Number("eps", "added to the variance (PyTorch's default 1e-5)", 1e-12, 1).WithDefault(1e-5),
            ParamDecl.Choice("over", "last: the last dimension (nn.LayerNorm); channels: C of a map [B, C, H, W] (LayerNorm2d)", "", "last", "channels").WithDefault("last"),
            ParamDecl.Bool("affine", "learnable weight and bias").WithDefault(true),
        };

        public override string RuntimeType => "ArchDsl.Runtime.LayerNorm";

        public override string RuntimeClass(BlockArgs args) => args.Text("over") == "channels" ? "ArchDsl.Runtime.LayerNorm2d" : RuntimeType;

        public override IEnumerable<ConstructorArg> ConstructorArgs(BlockArgs args, IReadOnlyList<Shape> inputs)
        {
            bool channels = args.Text("over") == "channels";
            yield return new ConstructorArg(channels ? "num_channels" : "normalized_shape", (long)Width(args, inputs[0]));
            yield return new ConstructorArg("eps", args.Number("eps"));
            yield return new ConstructorArg("elementwise_affine", args.Bool("affine"));
        }

        private static int Width(BlockArgs a, Shape x) => a.Text("over") == "channels" ? x.Dims[0] : x.Last;

        protected override Shape Trace(BlockArgs a, Shape x, Tracer t)
        {
            if (a.Text("over") == "channels")
                t.Require(x.Rank == 3, Diagnostics.DiagnosticId.FlowMismatch, $"{t.PathOf("")}: layernorm over channels needs a map [B, C, H, W], not {x}");
            t.LayerNorm("", x.Elements, Width(a, x), a.Bool("affine"));
            return x;
        }
    }
}
