using System.Collections.Generic;
using System.Linq;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Shapes;

namespace ArchDsl.Dsl.Blocks.Primitives
{
    /// <summary>torch.nn.Conv2d on a map [B, C, H, W]: a square kernel, or kernel × kernel_w (a 1×k or k×1 depthwise
    /// conv), stride, padding (padding_w for the width when it differs) and dilation; <c>zero_init</c> starts weight and bias
    /// at zero (DAT's and Deformable DETR's offset predictors).</summary>
    public sealed class Conv2dKind : BlockKind
    {
        public override string Name => "conv2d";
        public override string Summary => "2-D convolution (torch.nn.Conv2d)";
        public override string RuntimeType => "ArchDsl.Runtime.Conv2d";

        public override IReadOnlyList<ParamDecl> Params { get; } = new[]
        {
            ParamDecl.Int("out", "output channels").AsArgument("out_channels"),
            ParamDecl.Int("kernel", "kernel size", 1, 1024).AsArgument("kernel_size"),
            ParamDecl.Int("stride", "stride", 1, 1024).WithDefault(1),
            ParamDecl.Int("padding", "zero padding on each side (PyTorch's default is 0: write it)", 0, 64),
            ParamDecl.Int("dilation", "spacing of the kernel's taps", 1, 64).WithDefault(1),
            ParamDecl.Int("groups", "groups (equal to the channels for a depthwise conv)").WithDefault(1),
            ParamDecl.Bool("bias", "learnable bias (official code often drops it before a BatchNorm)"),
            ParamDecl.Int("kernel_w", "kernel width when it differs from kernel (its height); 0: square", 0, 1024).WithDefault(0),
            ParamDecl.Int("padding_w", "padding of the width when it differs from padding; -1: the same", -1, 64).WithDefault(-1),
            ParamDecl.Bool("zero_init", "weight and bias start at zero (an offset predictor that starts from none)").WithDefault(false),
        };

        protected override Shape Trace(BlockArgs a, Shape x, Tracer t) =>
            t.Conv2d("", x, a.Int("out"), Kernel(a), a.Int("stride"), Padding(a), a.Int("groups"), a.Bool("bias"), a.Int("dilation"));

        /// <summary>The square kernel's arguments only, as before rectangular kernels existed; kernel_w, padding_w and
        /// zero_init when they are set.</summary>
        public override IEnumerable<ConstructorArg> ConstructorArgs(BlockArgs args, IReadOnlyList<Shape> inputs) =>
            base.ConstructorArgs(args, inputs).Where(c => (c.Name != "kernel_w" || !Equals(c.Value, 0L)) && (c.Name != "padding_w" || !Equals(c.Value, -1L))
                && (c.Name != "zero_init" || Equals(c.Value, true)));

        private static (int H, int W) Kernel(BlockArgs a) => (a.Int("kernel"), a.Int("kernel_w") > 0 ? a.Int("kernel_w") : a.Int("kernel"));

        private static (int H, int W) Padding(BlockArgs a) => (a.Int("padding"), a.Int("padding_w") >= 0 ? a.Int("padding_w") : a.Int("padding"));
    }
}
