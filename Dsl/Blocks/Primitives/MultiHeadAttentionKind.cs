using System.Collections.Generic;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Shapes;

namespace ArchDsl.Dsl.Blocks.Primitives
{
    /// <summary>Multi-head self-attention on tokens [B, N, E] with torch.nn.MultiheadAttention's parameters and names
    /// (<c>in_proj_weight</c> [3E, E], <c>in_proj_bias</c>, <c>out_proj</c>), batch first, as torchvision's ViT uses it.</summary>
    public sealed class MultiHeadAttentionKind : BlockKind
    {
        public override string Name => "multi_head_attention";
        public override string Summary => "multi-head self-attention with nn.MultiheadAttention's parameter names";
        public override string RuntimeType => "ArchDsl.Runtime.MultiheadAttention";
        protected override string InputChannelsArgument => "embed_dim";

        public override IReadOnlyList<ParamDecl> Params { get; } = new[]
        {
            ParamDecl.Int("heads", "attention heads (must divide E)", 1, 4096).AsArgument("num_heads"),
            ParamDecl.Number("dropout", "dropout on the attention weights in training", 0, 1).WithDefault(0.0),
            ParamDecl.Bool("bias", "biases of the input and output projections").WithDefault(true),
        };

        protected override Shape Trace(BlockArgs a, Shape x, Tracer t)
        {
            t.Require(x.Rank == 2, Diagnostics.DiagnosticId.FlowMismatch, $"{t.PathOf("")}: multi_head_attention needs tokens [B, N, E], not {x}");
            int n = x.Dims[0], e = x.Dims[1], heads = a.Int("heads");
            t.Require(e % heads == 0, Diagnostics.DiagnosticId.HeadsDoNotDivide, $"{t.PathOf("")}: {heads} heads do not divide {e} channels");
            bool bias = a.Bool("bias");
            long tokens = (long)n * x.BatchFactor;
            int d = e / heads;
            t.Linear("", tokens, e, 3 * e, bias);                       // in_proj_weight, in_proj_bias
            t.Elementwise("", tokens * e, "q · scale");
            t.Matmul("", x.BatchFactor * (long)heads, n, d, n);
            t.Softmax("", x.BatchFactor * (long)heads * n * n);
            t.Matmul("", x.BatchFactor * (long)heads, n, n, d);
            t.Linear("out_proj", tokens, e, e, bias);
            return x;
        }
    }
}
