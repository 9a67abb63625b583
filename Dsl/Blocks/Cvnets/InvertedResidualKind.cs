using System;
using System.Collections.Generic;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Expressions;
using ArchDsl.Dsl.Shapes;

namespace ArchDsl.Dsl.Blocks.Cvnets
{
    /// <summary>
    /// MobileNetV2's inverted residual ("MV2") as cvnets writes it: <c>block.exp_1x1</c> 1×1 expand (BN, act; left out
    /// when expand = 1), <c>block.conv_3x3</c> 3×3 depthwise with the stride (BN, act), <c>block.red_1x1</c> 1×1 project
    /// (BN, no act). hidden = make_divisible(round(C_in·expand), hidden_divisor). Residual when stride 1 and C_in = C_out.
    /// </summary>
    public sealed class InvertedResidualKind : BlockKind
    {
        public override string Name => "mv2";
        public override string Summary => "MobileNetV2 inverted residual (cvnets InvertedResidual)";
        public override string RuntimeType => "ArchDsl.Runtime.Blocks.InvertedResidual";

        public override IReadOnlyList<ParamDecl> Params { get; } = new[]
        {
            ParamDecl.Int("out", "output channels").AsArgument("out_channels"),
            ParamDecl.Int("stride", "stride of the depthwise conv", 1, 2),
            ParamDecl.Number("expand", "expansion ratio of the hidden width", 1, 16),
            ParamDecl.Int("hidden_divisor", "the hidden width is rounded with make_divisible to a multiple of this", 1, 64),
            Choices.Act(),
        };

        public static int Hidden(int inChannels, double expand, int divisor) =>
            (int)Call.MakeDivisible(Math.Round(inChannels * expand, MidpointRounding.ToEven), divisor, null);

        public override Shape Trace(BlockArgs a, Shape x, Tracer t)
        {
            int outChannels = a.Int("out"), stride = a.Int("stride");
            double expand = a.Number("expand");
            string act = a.Text("act");
            int hidden = Hidden(x.Channels, expand, a.Int("hidden_divisor"));
            var block = t.Scope("block");
            var h = x;
            if (expand != 1)
                h = ConvLayerKind.Trace(block.Scope("exp_1x1"), h, hidden, 1, 1, 1, false, true, act);
            h = ConvLayerKind.Trace(block.Scope("conv_3x3"), h, hidden, 3, stride, hidden, false, true, act);
            var y = ConvLayerKind.Trace(block.Scope("red_1x1"), h, outChannels, 1, 1, 1, false, true, "none");
            if (stride == 1 && x.Channels == outChannels)
                t.Elementwise("", y.Elements, "residual add");
            return y;
        }
    }
}
