using System.Collections.Generic;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Shapes;

namespace ArchDsl.Dsl.Blocks.Primitives
{
    /// <summary>A learned per-channel scale: [C, 1, 1] on a map [B, C, H, W] (torchvision ConvNeXt's <c>layer_scale</c>),
    /// [C] on tokens or a channels-last map (timm's LayerScale <c>gamma</c>). The row's name is the tensor's key.</summary>
    public sealed class LayerScaleKind : BlockKind
    {
        public override string Name => "layer_scale";
        public override string Summary => "learned per-channel scale (layer scale)";
        public override string RuntimeType => "ArchDsl.Runtime.LayerScale";
        public override bool OwnsTensor => true;

        public override IReadOnlyList<ParamDecl> Params { get; } = new[]
        {
            ParamDecl.Number("init", "initial value of every scale (e.g. 1e-6)", -1e6, 1e6),
        };

        /// <summary>A map [C, H, W] is scaled along C; anything else along its last dimension.</summary>
        private static bool ChannelsFirst(Shape x) => x.Rank == 3;

        public override IEnumerable<ConstructorArg> ConstructorArgs(BlockArgs args, IReadOnlyList<Shape> inputs)
        {
            var x = inputs[0];
            yield return new ConstructorArg("dim", (long)(ChannelsFirst(x) ? x.Dims[0] : x.Last));
            yield return new ConstructorArg("init_value", args.Number("init"));
            yield return new ConstructorArg("channels_first", ChannelsFirst(x));
        }

        protected override Shape Trace(BlockArgs a, Shape x, Tracer t)
        {
            int c = ChannelsFirst(x) ? x.Dims[0] : x.Last;
            t.Parameter("", c, $"layer scale {c}");
            t.Elementwise("", x.Elements, "layer scale");
            return x;
        }
    }
}
