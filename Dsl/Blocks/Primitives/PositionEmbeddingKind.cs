using System;
using System.Collections.Generic;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Shapes;

namespace ArchDsl.Dsl.Blocks.Primitives
{
    /// <summary>A learned position embedding [1, N, C] added to the tokens (torchvision ViT's <c>pos_embedding</c>). It
    /// is sized for the declared input, so the network takes only that size. The row's name is the tensor's key.</summary>
    public sealed class PositionEmbeddingKind : BlockKind
    {
        public override string Name => "position_embedding";
        public override string Summary => "adds a learned position embedding [1, N, C] (fixes the input size)";
        public override string RuntimeType => "ArchDsl.Runtime.PositionEmbedding";
        public override bool OwnsTensor => true;
        public override IReadOnlyList<ParamDecl> Params { get; } = Array.Empty<ParamDecl>();

        public override IEnumerable<ConstructorArg> ConstructorArgs(BlockArgs args, IReadOnlyList<Shape> inputs)
        {
            yield return new ConstructorArg("tokens", (long)inputs[0].Dims[0]);
            yield return new ConstructorArg("dim", (long)inputs[0].Dims[1]);
        }

        protected override Shape Trace(BlockArgs a, Shape x, Tracer t)
        {
            t.Require(x.Rank == 2 && x.BatchFactor == 1, Diagnostics.DiagnosticId.FlowMismatch, $"{t.PathOf("")}: position_embedding needs tokens [B, N, C], not {x}");
            t.Parameter("", (long)x.Dims[0] * x.Dims[1], $"position embedding {x.Dims[0]}×{x.Dims[1]}");
            t.Elementwise("", x.Elements, "add position embedding");
            return x;
        }
    }
}
