using System.Collections.Generic;
using System.Linq;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Diagnostics;
using ArchDsl.Dsl.Shapes;

namespace ArchDsl.Dsl.Blocks.PartialFormer
{
    /// <summary>
    /// PartialFormer's partial attention (Vo, PhD thesis, Univ. of Ulsan, 2023, §5.3.2, Eqs. 5.4–5.7; ECCV 2024
    /// "Efficient Vision Transformers with Partial Attention"), a genuinely new operation, on N tokens [B, N, d] with h
    /// heads of width d_h = d/h. It takes two values of that shape: the tokens it attends over (the block's
    /// LayerNorm output) and the stream whose channel means rank them (the block's input before the norm: a LayerNorm
    /// with γ = 1, its initialisation, gives every token the channel mean mean(β), so ranking after it would be arbitrary).
    /// <list type="number">
    /// <item>Token separation (Eq. 5.4): c = mean over channels of the ranking stream [N]; s = the N indices sorted by
    /// c, descending (a top-k of all N, as the runtime runs it); the tokens gathered in that order; the first
    /// N_F = min(<c>foreground</c>, N) are the foreground, the other N_B = N − N_F the background.</item>
    /// <item><c>abstract_token</c> Q_A [1, 1, d] is prepended to the gathered tokens; one <c>qkv</c> projection of the
    /// N + 1 tokens (Eq. 5.8's 3Nd²: W_Q, W_K, W_V are shared by both branches).</item>
    /// <item>MMSA (Eq. 5.5) on the N_F + 1 tokens [Q_A; X_F]: logits (q·d_h^−½)kᵀ per head; HeadMLP across heads,
    /// <c>head_mlp.fc1</c> h→e·h, softmax over the keys, <c>head_mlp.fc2</c> e·h→h (no renormalisation after it, as
    /// written); times V; heads concatenated; <c>proj</c> (W_O) on the N_F foreground rows only (Eq. 5.9's d²·N_F).
    /// The Q_A row of the head outputs, a weighted sum of foreground values per head, is the abstracted query.</item>
    /// <item>SQA (Eq. 5.6) when N_B &gt; 0: that query (scaled by d_h^−½, no further projection: Eq. 5.10 has no d² term
    /// for one) attends over the background keys and values of the same projection; softmax over the N_B keys; heads
    /// concatenated to Y_B [1, d].</item>
    /// <item>ChannelMLP (Eq. 5.7): <c>channel_mlp.fc1</c> d→d/r, <c>channel_mlp.norm</c> LayerNorm, ReLU,
    /// <c>channel_mlp.fc2</c> d/r→d; O_B = X_B + Y'_B broadcast over the background tokens, X_B being this operation's
    /// input tokens (the block's residual adds its own input on top, as Fig. 5.3's meta-design draws it).</item>
    /// <item>[O_F; O_B] scattered back to the tokens' original positions.</item>
    /// </list>
    /// When N_F ≥ N there is no background token: every token is foreground, SQA and the ChannelMLP are skipped (their
    /// parameters stay) and, unless the row says <c>expect_background: false</c>, the trace warns (ADSL018), which the
    /// generator reports at the row at the declared resolution. The operations are described in the order the runtime
    /// runs them; the sort is an element-wise step of N values (what the runtime's recorder sees of torch.topk).
    /// </summary>
    public sealed class PartialAttentionKind : BlockKind
    {
        public override string Name => "partial_attention";
        public override string Summary => "PartialFormer partial attention: MMSA with HeadMLP on the N_F tokens of largest channel mean, single-query attention on the rest";
        public override string RuntimeType => "ArchDsl.Runtime.Blocks.PartialAttention";
        protected override string InputChannelsArgument => "dim";
        public override int MinInputs => 2;
        public override int MaxInputs => 2;

        public override IReadOnlyList<ParamDecl> Params { get; } = new[]
        {
            ParamDecl.Int("heads", "attention heads h (must divide d)", 1, 1024),
            ParamDecl.Int("foreground", "foreground tokens N_F (a fixed count; all N tokens when N_F ≥ N)", 1, 1 << 20),
            ParamDecl.Int("head_expansion", "HeadMLP expansion e: head_mlp is h → e·h → h", 1, 64),
            ParamDecl.Int("channel_reduction", "ChannelMLP reduction r: channel_mlp is d → d/r → d (r must divide d)", 1, 4096),
            ParamDecl.Bool("qkv_bias", "bias of the shared qkv projection (proj, head_mlp and channel_mlp always have one)"),
            ParamDecl.Bool("expect_background", "warn (ADSL018) when N_F ≥ N leaves no background token; false where that is intended")
                .WithDefault(true),
        };

        /// <summary>expect_background is a check of the trace, not a runtime argument.</summary>
        public override IEnumerable<ConstructorArg> ConstructorArgs(BlockArgs args, IReadOnlyList<Shape> inputs) =>
            base.ConstructorArgs(args, inputs).Where(a => a.Name != "expect_background");

        public override IReadOnlyList<Shape> Trace(BlockArgs a, IReadOnlyList<Shape> inputs, Tracer t)
        {
            var (x, ranking) = (inputs[0], inputs[1]);
            t.Require(x.Rank == 2 && x.BatchFactor == 1, DiagnosticId.FlowMismatch,
                $"{t.PathOf("")}: partial_attention needs tokens [B, N, d], not {x}");
            t.Require(ranking.Dims.Equals(x.Dims) && ranking.BatchFactor == x.BatchFactor, DiagnosticId.FlowMismatch,
                $"{t.PathOf("")}: partial_attention ranks the tokens by a second value of their shape {x}, not {ranking}");
            int n = x.Dims[0], d = x.Dims[1], heads = a.Int("heads"), e = a.Int("head_expansion"), r = a.Int("channel_reduction");
            if (d % heads != 0)
                Tracer.Fail(DiagnosticId.HeadsDoNotDivide, $"{t.PathOf("")}: {heads} heads do not divide {d} channels");
            if (d % r != 0)
                Tracer.Fail(DiagnosticId.HeadsDoNotDivide, $"{t.PathOf("")}: the ChannelMLP reduction {r} does not divide {d} channels");
            int declared = a.Int("foreground"), fg = System.Math.Min(declared, n), bg = n - fg, m = fg + 1, dh = d / heads, reduced = d / r;
            if (bg == 0 && a.Bool("expect_background"))
                t.Warn(DiagnosticId.Degenerate,
                    $"{t.PathOf("")} (partial_attention): {declared} foreground tokens (N_F) cover all {n} tokens{GridText(x)}: no background "
                    + "token, so it is MMSA over every token and single-query attention is skipped; declare N_F < N, "
                    + "or expect_background: false where this is intended");

            t.Parameter("", d, "abstract token Q_A (abstract_token)");

            // token separation (Eq. 5.4) on the ranking stream; gather is layout
            t.Mean("", (long)n * d);
            t.Elementwise("", n, "sort by channel mean (topk of all N)");
            t.Linear("qkv", n + 1, d, 3 * d, a.Bool("qkv_bias"));

            // MMSA with HeadMLP on [Q_A; X_F] (Eq. 5.5)
            t.Elementwise("", (long)m * d, "q · d_h^−½");
            t.Matmul("", heads, m, dh, m);
            t.Linear("head_mlp.fc1", (long)m * m, heads, e * heads);
            t.Softmax("", (long)m * m * e * heads);
            t.Linear("head_mlp.fc2", (long)m * m, e * heads, heads);
            t.Matmul("", heads, m, m, dh);
            t.Linear("proj", fg, d, d);
            if (bg > 0)
            {
                // SQA (Eq. 5.6): the abstracted Q_A over the background keys and values
                t.Elementwise("", d, "q_A · d_h^−½");
                t.Matmul("", heads, 1, dh, bg);
                t.Softmax("", (long)heads * bg);
                t.Matmul("", heads, 1, bg, dh);
                // ChannelMLP (Eq. 5.7) and the broadcast sum
                t.Linear("channel_mlp.fc1", 1, d, reduced);
                t.LayerNorm("channel_mlp.norm", reduced, reduced);
                t.Activation("", "relu", reduced);
                t.Linear("channel_mlp.fc2", 1, reduced, d);
                t.Elementwise("", (long)bg * d, "X_B + Y'_B (broadcast)");
            }
            else
            {
                // no background: the ChannelMLP does not run, its parameters exist all the same
                t.Parameter("channel_mlp.fc1", (long)d * reduced + reduced, "ChannelMLP fc1 (unused: no background)");
                t.Parameter("channel_mlp.norm", 2L * reduced, "ChannelMLP LayerNorm (unused: no background)");
                t.Parameter("channel_mlp.fc2", (long)reduced * d + d, "ChannelMLP fc2 (unused: no background)");
            }
            // [O_F; O_B] scattered back to the original token order: layout
            return new[] { x };
        }

        private static string GridText(Shape x) => x.Grid is { Prefix: 0 } g ? $" ({g.Height}×{g.Width} map)" : "";
    }
}
