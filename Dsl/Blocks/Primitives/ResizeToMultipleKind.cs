using System.Collections.Generic;
using System.Linq;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Shapes;

namespace ArchDsl.Dsl.Blocks.Primitives
{
    /// <summary>cvnets' resize_input_if_needed: a map whose H or W is not a multiple of <c>multiple</c> is interpolated up
    /// to the next multiple; otherwise it passes unchanged (decided at run time for each input size).</summary>
    public sealed class ResizeToMultipleKind : BlockKind
    {
        public override string Name => "resize_to_multiple";
        public override string Summary => "interpolates a map up to a multiple of a size when it is not one";
        public override string RuntimeType => "ArchDsl.Runtime.ResizeToMultiple";
        protected override bool TakesInputChannels => false;

        public override IReadOnlyList<ParamDecl> Params { get; } = new[]
        {
            ParamDecl.Int("multiple", "H and W become multiples of it", 1, 1024),
            Resampling.Mode(),
            Resampling.AlignCorners(),
        };

        public override IEnumerable<ConstructorArg> ConstructorArgs(BlockArgs args, IReadOnlyList<Shape> inputs) =>
            new[] { new ConstructorArg("multiple", (long)args.Int("multiple")) }.Concat(Resampling.Args(args));

        protected override Shape Trace(BlockArgs a, Shape x, Tracer t)
        {
            t.Require(x.Rank == 3, Diagnostics.DiagnosticId.FlowMismatch, $"{t.PathOf("")}: resize_to_multiple needs a map [B, C, H, W], not {x}");
            int m = a.Int("multiple");
            int h = (x.Dims[1] + m - 1) / m * m, w = (x.Dims[2] + m - 1) / m * m;
            if (h == x.Dims[1] && w == x.Dims[2]) return x;
            var y = x.WithDims(new[] { x.Dims[0], h, w }, x.Spatial);
            t.Interpolate("", y.Elements, a.Text("mode") + $" (up to a multiple of {m})");
            return y;
        }
    }
}
