using System.Collections.Generic;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Shapes;

namespace ArchDsl.Dsl.Blocks.Primitives
{
    /// <summary>torch.nn.MaxPool2d on a map.</summary>
    public sealed class MaxPoolKind : BlockKind
    {
        public override string Name => "max_pool";
        public override string Summary => "max pooling (torch.nn.MaxPool2d)";
        public override string RuntimeType => "ArchDsl.Runtime.MaxPool2d";
        protected override bool TakesInputChannels => false;

        public override IReadOnlyList<ParamDecl> Params { get; } = new[]
        {
            ParamDecl.Int("kernel", "window size", 1, 64).AsArgument("kernel_size"),
            ParamDecl.Int("stride", "stride (0: the kernel size, PyTorch's default)", 0, 64).WithDefault(0),
            ParamDecl.Int("padding", "implicit −∞ padding on each side", 0, 32).WithDefault(0),
            ParamDecl.Int("dilation", "spacing of the window's taps", 1, 64).WithDefault(1),
            ParamDecl.Bool("ceil_mode", "round the output size up").WithDefault(false),
        };

        public override IEnumerable<ConstructorArg> ConstructorArgs(BlockArgs a, IReadOnlyList<Shape> inputs)
        {
            yield return new ConstructorArg("kernel_size", (long)a.Int("kernel"));
            yield return new ConstructorArg("stride", (long)Stride(a));
            yield return new ConstructorArg("padding", (long)a.Int("padding"));
            yield return new ConstructorArg("dilation", (long)a.Int("dilation"));
            yield return new ConstructorArg("ceil_mode", a.Bool("ceil_mode"));
        }

        internal static int Stride(BlockArgs a) => a.Int("stride") == 0 ? a.Int("kernel") : a.Int("stride");

        protected override Shape Trace(BlockArgs a, Shape x, Tracer t)
        {
            var y = PoolShape(t, x, a.Int("kernel"), Stride(a), a.Int("padding"), a.Int("dilation"), a.Bool("ceil_mode"));
            t.MaxPool("", x.Elements);
            return y;
        }

        /// <summary>The output of a pooling window over a map.</summary>
        internal static Shape PoolShape(Tracer t, Shape x, int kernel, int stride, int padding, int dilation, bool ceil)
        {
            t.Require(x.Rank == 3, Diagnostics.DiagnosticId.FlowMismatch, $"{t.PathOf("")}: pooling needs a map [B, C, H, W], not {x}");
            t.Require(2 * padding <= kernel, Diagnostics.DiagnosticId.OutOfRange, $"{t.PathOf("")}: padding {padding} is more than half the kernel {kernel}");
            int h = Shape.ConvOut(x.Dims[1], kernel, stride, padding, dilation, ceil);
            int w = Shape.ConvOut(x.Dims[2], kernel, stride, padding, dilation, ceil);
            t.Require(h >= 1 && w >= 1, Diagnostics.DiagnosticId.SpatialNotDivisible,
                $"{t.PathOf("")}: a {kernel}×{kernel} window with stride {stride} does not fit a {x.Dims[1]}×{x.Dims[2]} map");
            return x.WithDims(new[] { x.Dims[0], h, w }, x.Spatial);
        }
    }
}
