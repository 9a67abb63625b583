using System.Collections.Generic;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Diagnostics;
using ArchDsl.Dsl.Shapes;

namespace ArchDsl.Dsl.Blocks.MatchViT
{
    /// <summary>
    /// MatchViT's matching separable self-attention (MaSSA), a genuinely new operation, on tokens [B, d, P, N]. The paper
    /// has no code; the formalisation (docs/readings.md, MatchViT): <c>qkv_proj</c> 1×1 d → k + 2γd + d_v gives I, K, R,
    /// V; context scores CS = softmax of I [N × k]; context vectors CV = CSᵀK [k × γd]; matching scores MS =
    /// softmax(R·CVᵀ) [N × k]; out = <c>out_proj</c>(MS·CV ⊙ relu(V)), 1×1 d_v → d. It gives two values: the output, and
    /// the context vectors [B, P, k, γd] that the context-gated FFN of the same encoder reads (<c>as: [y, context]</c>).
    /// The operations are described in the order the runtime runs them.
    /// </summary>
    public sealed class MatchingSeparableAttentionKind : BlockKind
    {
        private const string SoftmaxAxis = "ArchDsl.Runtime.Blocks.MassaSoftmaxAxis";

        public override string Name => "matching_separable_attention";
        public override string Summary => "MatchViT MaSSA: context vectors of k hidden tokens, matched back to every token";
        public override string RuntimeType => "ArchDsl.Runtime.Blocks.MatchingSeparableSelfAttention";
        protected override string InputChannelsArgument => "dim";

        public override IReadOnlyList<ParamDecl> Params { get; } = new[]
        {
            ParamDecl.Int("hidden_tokens", "k, the hidden tokens of the context scores", 1, 4096),
            ParamDecl.Int("context_width", "γ·d, the width of K, R and the context vectors", 1, 1 << 20),
            ParamDecl.Choice("value_width", "width of V: model = d as printed (needs γ = 1 for the ⊙ with the N×γd matched context), context = γ·d",
                "ArchDsl.Runtime.Blocks.MassaValueWidth", "model", "context"),
            ParamDecl.Choice("context_softmax", "axis of the context-score softmax over I [N×k]: tokens (as SSA's) or hidden_tokens", SoftmaxAxis, "tokens", "hidden_tokens"),
            ParamDecl.Choice("match_softmax", "axis of the matching-score softmax over R·CVᵀ [N×k]: hidden_tokens or tokens", SoftmaxAxis, "hidden_tokens", "tokens"),
            ParamDecl.Bool("match_scale", "scale R·CVᵀ by 1/√(γd) before the softmax"),
            ParamDecl.Bool("relu_v", "ReLU on V before the product, as SSA"),
            ParamDecl.Bool("bias", "bias of the 1×1 projections (cvnets: true)"),
        };

        public override int Outputs(BlockArgs args) => 2;

        public override IReadOnlyList<Shape> Trace(BlockArgs a, IReadOnlyList<Shape> inputs, Tracer m)
        {
            var tokens = inputs[0];
            m.Require(tokens.Rank == 3, DiagnosticId.FlowMismatch, $"{m.PathOf("")}: MaSSA needs tokens [B, d, P, N], not {tokens}");
            int d = tokens.Dims[0], k = a.Int("hidden_tokens"), c = a.Int("context_width"), p = tokens.Dims[1], n = tokens.Dims[2];
            int v = a.Text("value_width") == "model" ? d : c;
            if (v != c)
                Tracer.Fail(DiagnosticId.FlowMismatch, $"{m.PathOf("")}: MaSSA's matched context vectors are N×γd = N×{c} but V is N×d = N×{d}: " +
                    "their element-wise product needs γ = 1 or value_width: context");
            var qkv = m.Scope("qkv_proj").Scope("block").Conv2d("conv", tokens, k + 2 * c + v, 1, bias: a.Bool("bias"));
            m.Softmax("", (long)k * p * n);                       // context scores
            m.Matmul("", p, k, n, c);                             // context vectors CV = CSᵀ K
            m.Matmul("", p, n, c, k);                             // R · CVᵀ
            if (a.Bool("match_scale")) m.Elementwise("", (long)p * n * k, "scale 1/√(γd)");
            m.Softmax("", (long)p * n * k);                       // matching scores
            m.Matmul("", p, n, k, c);                             // matched context vectors MS · CV
            if (a.Bool("relu_v")) m.Activation("", "relu", (long)v * p * n);
            m.Elementwise("", (long)c * p * n, "matched context · v");
            var y = m.Scope("out_proj").Scope("block").Conv2d("conv", tokens.WithDim(0, v, false), d, 1, bias: a.Bool("bias"));
            return new[] { y, Shape.Of(new[] { p, k, c }, tokens.IsSpatial(1) ? 1 : 0) };
        }
    }
}
