using System.Collections.Generic;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Shapes;

namespace ArchDsl.Dsl.Blocks.Primitives
{
    /// <summary>Interpolates a map to the H×W of a second value (from: [x, reference]); passes it unchanged when the sizes
    /// already agree (cvnets' MobileViT folds back to the size before its resize).</summary>
    public sealed class ResizeLikeKind : BlockKind
    {
        public override string Name => "resize_like";
        public override string Summary => "interpolates a map to the size of another";
        public override string RuntimeType => "ArchDsl.Runtime.ResizeLike";
        public override int MinInputs => 2;
        public override int MaxInputs => 2;
        protected override bool TakesInputChannels => false;

        public override IReadOnlyList<ParamDecl> Params { get; } = new[] { Resampling.Mode(), Resampling.AlignCorners() };

        public override IEnumerable<ConstructorArg> ConstructorArgs(BlockArgs args, IReadOnlyList<Shape> inputs) => Resampling.Args(args);

        public override IReadOnlyList<Shape> Trace(BlockArgs a, IReadOnlyList<Shape> inputs, Tracer t)
        {
            var (x, reference) = (inputs[0], inputs[1]);
            t.Require(x.Rank == 3 && reference.Rank == 3, Diagnostics.DiagnosticId.FlowMismatch,
                $"{t.PathOf("")}: resize_like needs two maps [B, C, H, W], not {x} and {reference}");
            if (x.Dims[1] == reference.Dims[1] && x.Dims[2] == reference.Dims[2]) return new[] { x };
            var y = x.WithDims(new[] { x.Dims[0], reference.Dims[1], reference.Dims[2] }, (reference.Spatial & 0b110) | (x.Spatial & 1));
            t.Interpolate("", y.Elements, a.Text("mode") + " (to the reference size)");
            return new[] { y };
        }
    }
}
