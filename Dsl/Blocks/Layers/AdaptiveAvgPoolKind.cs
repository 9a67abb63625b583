using System;
using System.Collections.Generic;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Shapes;

namespace ArchDsl.Dsl.Blocks.Layers
{
    /// <summary>nn.AdaptiveAvgPool2d(1) followed by flatten: [B, C, H, W] → [B, C]. Counted by fvcore (input elements).</summary>
    public sealed class AdaptiveAvgPoolKind : BlockKind
    {
        public override string Name => "adaptive_avg_pool";
        public override string Summary => "global average by nn.AdaptiveAvgPool2d(1) + flatten → [B, C]";
        public override string RuntimeType => "ArchDsl.Runtime.AdaptiveAvgPoolFlatten";
        public override IReadOnlyList<ParamDecl> Params { get; } = Array.Empty<ParamDecl>();
        protected override bool TakesInputChannels => false;

        public override Shape Trace(BlockArgs a, Shape x, Tracer t)
        {
            t.Require(x.Form == ShapeForm.Image, Diagnostics.DiagnosticId.FlowMismatch,
                $"adaptive_avg_pool needs a feature map [B, C, H, W] but receives {x.FormName} {x}");
            t.AdaptiveAvgPool("", x.Elements);
            return Shape.Vector(x.Channels);
        }
    }
}
