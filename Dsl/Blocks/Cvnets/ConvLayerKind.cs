using System.Collections.Generic;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Shapes;

namespace ArchDsl.Dsl.Blocks.Cvnets
{
    /// <summary>cvnets' ConvLayer2d: a Sequential <c>block</c> of <c>conv</c>, optional BatchNorm <c>norm</c> and
    /// activation <c>act</c>; padding (k−1)/2. The building brick of MobileViT v1/v2 (and MatchViT, built on cvnets).</summary>
    public sealed class ConvLayerKind : BlockKind
    {
        public override string Name => "conv_layer";
        public override string Summary => "cvnets ConvLayer2d: conv + optional BatchNorm + optional activation";
        public override string RuntimeType => "ArchDsl.Runtime.Blocks.ConvLayer";

        public override IReadOnlyList<ParamDecl> Params { get; } = new[]
        {
            ParamDecl.Int("out", "output channels").AsArgument("out_channels"),
            ParamDecl.Int("kernel", "kernel size", 1, 31).AsArgument("kernel_size"),
            ParamDecl.Int("stride", "stride", 1, 64),
            ParamDecl.Int("groups", "groups (the input channels for depthwise)").WithDefault(1),
            ParamDecl.Bool("bias", "conv bias (cvnets: false before a BatchNorm)"),
            ParamDecl.Bool("norm", "BatchNorm after the conv"),
            Choices.Act(),
        };

        public override Shape Trace(BlockArgs a, Shape x, Tracer t) =>
            Trace(t, x, a.Int("out"), a.Int("kernel"), a.Int("stride"), a.Int("groups"), a.Bool("bias"), a.Bool("norm"), a.Text("act"));

        /// <summary>The same structure for blocks built from ConvLayer2d (MV2, MobileViT blocks).</summary>
        public static Shape Trace(Tracer t, Shape x, int outChannels, int kernel, int stride, int groups, bool bias, bool norm, string act)
        {
            var block = t.Scope("block");
            var y = block.Conv2d("conv", x, outChannels, kernel, stride, (kernel - 1) / 2, groups, bias);
            if (norm) block.BatchNorm2d("norm", y);
            if (act != "none") block.Activation("act", act, y.Elements);
            return y;
        }
    }
}
