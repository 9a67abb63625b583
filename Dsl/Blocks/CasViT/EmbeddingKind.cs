using System.Collections.Generic;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Shapes;

namespace ArchDsl.Dsl.Blocks.CasViT
{
    /// <summary>A patch-embedding downsample as CAS-ViT (and EdgeNeXt, PoolFormer) write it: conv <c>proj</c> then BatchNorm <c>norm</c>.</summary>
    public sealed class EmbeddingKind : BlockKind
    {
        public override string Name => "embedding";
        public override string Summary => "patch embedding: conv (proj) + BatchNorm (norm)";
        public override string RuntimeType => "ArchDsl.Runtime.Blocks.Embedding";

        public override IReadOnlyList<ParamDecl> Params { get; } = new[]
        {
            ParamDecl.Int("out", "output channels").AsArgument("out_channels"),
            ParamDecl.Int("kernel", "kernel size", 1, 31).AsArgument("kernel_size"),
            ParamDecl.Int("stride", "stride", 1, 64),
            ParamDecl.Int("padding", "zero padding on each side", 0, 64),
            ParamDecl.Bool("bias", "bias of the conv"),
        };

        public override Shape Trace(BlockArgs a, Shape x, Tracer t)
        {
            var y = t.Conv2d("proj", x, a.Int("out"), a.Int("kernel"), a.Int("stride"), a.Int("padding"), bias: a.Bool("bias"));
            return t.BatchNorm2d("norm", y);
        }
    }
}
