using System.Collections.Generic;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Shapes;

namespace ArchDsl.Dsl.Blocks.Primitives
{
    /// <summary>torch.nn.ConvTranspose2d on a map: up-sampling by the stride.</summary>
    public sealed class ConvTranspose2dKind : BlockKind
    {
        public override string Name => "conv_transpose2d";
        public override string Summary => "2-D transposed convolution (torch.nn.ConvTranspose2d)";
        public override string RuntimeType => "ArchDsl.Runtime.ConvTranspose2d";

        public override IReadOnlyList<ParamDecl> Params { get; } = new[]
        {
            ParamDecl.Int("out", "output channels").AsArgument("out_channels"),
            ParamDecl.Int("kernel", "kernel size", 1, 1024).AsArgument("kernel_size"),
            ParamDecl.Int("stride", "stride (the up-sampling factor)", 1, 64).WithDefault(1),
            ParamDecl.Int("padding", "removed from each side of the output", 0, 64).WithDefault(0),
            ParamDecl.Int("output_padding", "added to one side of the output", 0, 63).WithDefault(0),
            ParamDecl.Int("groups", "groups").WithDefault(1),
            ParamDecl.Bool("bias", "learnable bias"),
        };

        protected override Shape Trace(BlockArgs a, Shape x, Tracer t) =>
            t.ConvTranspose2d("", x, a.Int("out"), a.Int("kernel"), a.Int("stride"), a.Int("padding"), a.Int("output_padding"),
                a.Int("groups"), a.Bool("bias"));
    }
}
