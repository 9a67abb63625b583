using System;
using System.Collections.Generic;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Shapes;

namespace ArchDsl.Dsl.Blocks.Primitives
{
    /// <summary>Global average over H and W written as Tensor.mean (CAS-ViT's <c>x.flatten(2).mean(-1)</c>, cvnets'
    /// GlobalPool): [B, C, H, W] → [B, C]. fvcore does not count it, unlike <see cref="AdaptiveAvgPoolKind"/>.</summary>
    public sealed class MeanPoolKind : BlockKind
    {
        public override string Name => "mean_pool";
        public override string Summary => "global average by Tensor.mean over H, W → [B, C]";
        public override string RuntimeType => "ArchDsl.Runtime.MeanPool";
        public override IReadOnlyList<ParamDecl> Params { get; } = Array.Empty<ParamDecl>();
        protected override bool TakesInputChannels => false;

        protected override Shape Trace(BlockArgs a, Shape x, Tracer t)
        {
            t.Require(x.Rank == 3, Diagnostics.DiagnosticId.FlowMismatch,
                $"mean_pool needs a feature map [B, C, H, W] but receives {x.FormName} {x}");
            t.Mean("", x.Elements);
            return Shape.Vector(x.Channels);
        }
    }
}
