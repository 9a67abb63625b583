using System.Collections.Generic;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Shapes;

namespace ArchDsl.Dsl.Blocks.Primitives
{
    /// <summary>torch.nn.Conv2d on a map [B, C, H, W] (square kernel, stride, padding and dilation).</summary>
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
        };

        protected override Shape Trace(BlockArgs a, Shape x, Tracer t) =>
            t.Conv2d("", x, a.Int("out"), a.Int("kernel"), a.Int("stride"), a.Int("padding"), a.Int("groups"), a.Bool("bias"), a.Int("dilation"));
    }
}
