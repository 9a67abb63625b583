using System;
using System.Collections.Generic;
using ArchDsl.Dsl.Blocks.Cvnets;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Shapes;

namespace ArchDsl.Dsl.Blocks.XFormer
{
    /// <summary>
    /// XFormer's MV3 block (Eq. 6: x + Conv_pw(SE(Conv_dw(x)))), completed as MobileNetV3's inverted residual with
    /// squeeze-excitation, named like cvnets' InvertedResidualSE: <c>block.exp_1x1</c> 1×1 expand (BN, act; left out when
    /// expand = 1), <c>block.conv_3x3</c> 3×3 depthwise with the stride (BN, act), <c>block.se</c> squeeze-excitation on
    /// the expanded map (global average, 1×1 <c>se_layer.fc1</c> hidden→squeeze with bias and se_act, 1×1 <c>se_layer.fc2</c>
    /// squeeze→hidden with bias, gate, x·gate), <c>block.red_1x1</c> 1×1 project (BN, no act). hidden =
    /// make_divisible(round(C_in·expand), hidden_divisor); squeeze = floor(C_in·se_ratio), at least 1. Residual when
    /// stride 1 and C_in = C_out (Eq. 6 writes it always, impossible where the width or size changes).
    /// </summary>
    public sealed class MobileNetV3BlockKind : BlockKind
    {
        public override string Name => "mv3";
        public override string Summary => "MobileNetV3 inverted residual with squeeze-excitation (XFormer MV3)";
        public override string RuntimeType => "ArchDsl.Runtime.Blocks.MobileNetV3Block";

        public override IReadOnlyList<ParamDecl> Params { get; } = new[]
        {
            ParamDecl.Int("out", "output channels").AsArgument("out_channels"),
            ParamDecl.Int("stride", "stride of the depthwise conv", 1, 2),
            ParamDecl.Number("expand", "expansion ratio of the hidden width", 1, 16),
            ParamDecl.Int("hidden_divisor", "the hidden width is rounded with make_divisible to a multiple of this", 1, 64),
            ParamDecl.Number("se_ratio", "squeeze width of the SE unit / the block's input channels", 0.001, 16),
            ParamDecl.Choice("se_act", "activation between the two SE layers", Choices.ActivationEnum, Choices.Activations),
            ParamDecl.Choice("se_gate", "gate of the SE unit", "ArchDsl.Runtime.Blocks.SeGate", "sigmoid", "hardsigmoid"),
            Choices.Act(),
        };

        public static int Squeeze(int inChannels, double ratio) => Math.Max(1, (int)(inChannels * ratio));

        public override Shape Trace(BlockArgs a, Shape x, Tracer t)
        {
            int outChannels = a.Int("out"), stride = a.Int("stride");
            double expand = a.Number("expand");
            string act = a.Text("act");
            int hidden = InvertedResidualKind.Hidden(x.Channels, expand, a.Int("hidden_divisor"));
            int squeeze = Squeeze(x.Channels, a.Number("se_ratio"));

            var block = t.Scope("block");
            var h = x;
            if (expand != 1)
                h = ConvLayerKind.Trace(block.Scope("exp_1x1"), h, hidden, 1, 1, 1, false, true, act);
            h = ConvLayerKind.Trace(block.Scope("conv_3x3"), h, hidden, 3, stride, hidden, false, true, act);

            var se = block.Scope("se").Scope("se_layer");
            se.AdaptiveAvgPool("global_pool", h.Elements);
            var s = ConvLayerKind.Trace(se.Scope("fc1"), Shape.Image(hidden, 1, 1), squeeze, 1, 1, 1, true, false, a.Text("se_act"));
            ConvLayerKind.Trace(se.Scope("fc2"), s, hidden, 1, 1, 1, true, false, "none");
            se.Activation("scale_act", a.Text("se_gate"), hidden);
            block.Elementwise("se", h.Elements, "x · SE gate");

            var y = ConvLayerKind.Trace(block.Scope("red_1x1"), h, outChannels, 1, 1, 1, false, true, "none");
            if (stride == 1 && x.Channels == outChannels)
                t.Elementwise("", y.Elements, "residual add");
            return y;
        }
    }
}
