using System.Collections.Generic;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Shapes;

namespace ArchDsl.Dsl.Blocks.CasViT
{
    /// <summary>
    /// CAS-ViT's AdditiveBlock (official rcvit.py), at the incoming width C:
    /// x + LocalIntegration(x); x + CATM(BN(x)); x + MLP(BN(x)). No layer scale.
    /// LocalIntegration = 1×1 conv, BN, 3×3 depthwise conv, act, 1×1 conv (all with bias).
    /// CATM (convolutional additive token mixer): qkv 1×1 conv (qkv_bias); Φ(z) = ChannelOp(SpatialOp(z)) for q and k with
    /// separate weights, SpatialOp(z) = z·σ(1×1→1(ReLU(BN(DW3×3(z))))), ChannelOp(z) = z·σ(1×1(GAP(z)));
    /// out = proj(dwc(Φq(q) + Φk(k)) · v) with dwc and proj 3×3 depthwise convs.
    /// Parameters per block: 15C² + 69C (reference matchvit-casvit.md §2.4.5, verified against PyTorch).
    /// </summary>
    public sealed class CasBlockKind : BlockKind
    {
        public override string Name => "cas_block";
        public override string Summary => "CAS-ViT AdditiveBlock: local integration, convolutional additive attention, MLP";
        public override string RuntimeType => "ArchDsl.Runtime.Blocks.CasBlock";

        public override IReadOnlyList<ParamDecl> Params { get; } = new[]
        {
            ParamDecl.Number("mlp_ratio", "MLP hidden width / C", 0.25, 64),
            Choices.Act("activation of the local integration and the MLP"),
            ParamDecl.Bool("qkv_bias", "bias of the qkv projection (official attn_bias=False)"),
        };

        public override Shape Trace(BlockArgs a, Shape x, Tracer t)
        {
            int c = x.Channels;
            string act = a.Text("act");

            var li = t.Scope("local_perception").Scope("network");
            li.Conv2d("0", x, c, 1);
            li.BatchNorm2d("1", x);
            li.Conv2d("2", x, c, 3, groups: c);
            li.Activation("3", act, x.Elements);
            li.Conv2d("4", x, c, 1);
            t.Elementwise("local_perception", x.Elements, "residual add");

            t.BatchNorm2d("norm1", x);
            var attn = t.Scope("attn");
            attn.Conv2d("qkv", x, 3 * c, 1, bias: a.Bool("qkv_bias"));
            foreach (var oper in new[] { "oper_q", "oper_k" })
            {
                var spatial = attn.Scope(oper).Scope("0").Scope("block");
                spatial.Conv2d("0", x, c, 3, groups: c);
                spatial.BatchNorm2d("1", x);
                spatial.Activation("2", "relu", x.Elements);
                var gate = spatial.Conv2d("3", x, 1, 1, bias: false);
                spatial.Activation("4", "sigmoid", gate.Elements);
                attn.Elementwise(oper + ".0", x.Elements, "spatial gate");

                var channel = attn.Scope(oper).Scope("1").Scope("block");
                channel.AdaptiveAvgPool("0", x.Elements);
                var pooled = Shape.Image(c, 1, 1);
                channel.Conv2d("1", pooled, c, 1, bias: false);
                channel.Activation("2", "sigmoid", c);
                attn.Elementwise(oper + ".1", x.Elements, "channel gate");
            }
            attn.Elementwise("", x.Elements, "q + k");
            attn.Conv2d("dwc", x, c, 3, groups: c);
            attn.Elementwise("", x.Elements, "· v");
            attn.Conv2d("proj", x, c, 3, groups: c);
            t.Elementwise("attn", x.Elements, "residual add");

            t.BatchNorm2d("norm2", x);
            int hidden = (int)(c * a.Number("mlp_ratio"));
            var mlp = t.Scope("mlp");
            var h = mlp.Conv2d("fc1", x, hidden, 1);
            mlp.Activation("act", act, h.Elements);
            mlp.Conv2d("fc2", h, c, 1);
            t.Elementwise("mlp", x.Elements, "residual add");
            return x;
        }
    }
}
