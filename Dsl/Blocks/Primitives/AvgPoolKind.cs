using System.Collections.Generic;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Shapes;

namespace ArchDsl.Dsl.Blocks.Primitives
{
    /// <summary>torch.nn.AvgPool2d on a map.</summary>
    public sealed class AvgPoolKind : BlockKind
    {
        public override string Name => "avg_pool";
        public override string Summary => "average pooling (torch.nn.AvgPool2d)";
        public override string RuntimeType => "ArchDsl.Runtime.AvgPool2d";
        protected override bool TakesInputChannels => false;

        public override IReadOnlyList<ParamDecl> Params { get; } = new[]
        {
            ParamDecl.Int("kernel", "window size", 1, 64).AsArgument("kernel_size"),
            ParamDecl.Int("stride", "stride (0: the kernel size, PyTorch's default)", 0, 64).WithDefault(0),
            ParamDecl.Int("padding", "implicit zero padding on each side", 0, 32).WithDefault(0),
            ParamDecl.Bool("ceil_mode", "round the output size up").WithDefault(false),
            ParamDecl.Bool("count_include_pad", "count padding zeros in the average").WithDefault(true),
        };

        public override IEnumerable<ConstructorArg> ConstructorArgs(BlockArgs a, IReadOnlyList<Shape> inputs)
        {
            yield return new ConstructorArg("kernel_size", (long)a.Int("kernel"));
            yield return new ConstructorArg("stride", (long)MaxPoolKind.Stride(a));
            yield return new ConstructorArg("padding", (long)a.Int("padding"));
            yield return new ConstructorArg("ceil_mode", a.Bool("ceil_mode"));
            yield return new ConstructorArg("count_include_pad", a.Bool("count_include_pad"));
        }

        protected override Shape Trace(BlockArgs a, Shape x, Tracer t)
        {
            var y = MaxPoolKind.PoolShape(t, x, a.Int("kernel"), MaxPoolKind.Stride(a), a.Int("padding"), 1, a.Bool("ceil_mode"));
            t.AvgPool("", x.Elements);
            return y;
        }
    }
}
