using System;
using System.Globalization;
using ArchDsl.Dsl.Blocks.Cvnets;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Diagnostics;
using ArchDsl.Dsl.Shapes;

namespace ArchDsl.Dsl.Blocks.MatchViT
{
    /// <summary>
    /// The costs of one MatchViT encoder on tokens [B, d, P, N], at the runtime's paths (MatchViTEncoder):
    /// <c>pre_norm_attn</c> = [0: GroupNorm(1, d), 1: attention], <c>pre_norm_ffn</c> = [0: GroupNorm(1, d), 1: 1×1 d→λd
    /// (act), 3: 1×1 λd→d] plus, when context-gated, <c>gate_in</c> (W_k, 1×1 d→k) and <c>context_proj</c> (W_cv, linear γd→λd).
    /// The paper has no code; the formalisation is reference/matchvit-casvit.md §1.5:
    /// MaSSA: [I, K, R, V] = 1×1 conv d→k+2γd+d_v; CS = softmax of I [N×k] (over the N tokens per hidden token, as SSA's);
    /// CV = CSᵀK [k×γd]; MS = softmax(R·CVᵀ) [N×k]; out = out_proj(MS·CV ⊙ relu(V)).
    /// SSA: cvnets LinearSelfAttention (qkv 1×1 d→1+2d; no matmul: the context vector is an element-wise weighted sum).
    /// MHSA: qkv 1×1 d→3d, softmax(QKᵀ/√(d/h))·V per head over the N tokens, out 1×1 d→d.
    /// Context-gated FFN (Eq. 5): (σ(xW₁) ⊙ σ_g(xW_k · cv W_cv)) W₂, cv the same encoder's context vectors.
    /// </summary>
    public static class MatchViTEncoderTrace
    {
        /// <summary>The encoder's parameters, checked once per block.</summary>
        public sealed record Settings(
            int D, int HiddenTokens, string Attention, bool ContextGate, int ContextWidth, int ValueWidth,
            bool ReluV, bool MatchScale, int Ffn, string GateOrder, string GateAct, bool GateBias, bool Bias, string Act)
        {
            public static Settings From(BlockArgs a, string path)
            {
                int d = a.Int("attn_dim"), k = a.Int("hidden_tokens");
                string attention = a.Text("attention");
                double gamma = a.Number("gamma");
                double contextWidth = gamma * d;
                bool contextGate = a.Bool("context_gate");

                if (attention == "massa" && Math.Abs(contextWidth - Math.Round(contextWidth)) > 1e-9)
                    Tracer.Fail(DiagnosticId.NotInteger,
                        $"{path}: the context vectors are γ·d = {F(gamma)} × {d} = {F(contextWidth)} wide, not a whole number of channels");
                int cw = (int)Math.Round(contextWidth);
                if (attention == "massa" && a.Text("value_width") == "model" && cw != d)
                    Tracer.Fail(DiagnosticId.FlowMismatch,
                        $"{path}: MaSSA's matched context vectors are N×γd = N×{cw} but V is N×d = N×{d}: " +
                        "their element-wise product needs γ = 1 or value_width: context");
                if (contextGate && attention != "massa")
                    Tracer.Fail(DiagnosticId.FlowMismatch,
                        $"{path}: the context-gated FFN reads MaSSA's context vectors, but the attention is {attention}: set context_gate: false");
                if (attention == "mhsa" && d % k != 0)
                    Tracer.Fail(DiagnosticId.HeadsDoNotDivide, $"{path}: {k} MHSA heads do not divide the attention width {d}");
                if (attention == "ssa" && !a.Bool("bias"))
                    Tracer.Fail(DiagnosticId.WrongType,
                        $"{path}: ssa is cvnets' LinearSelfAttention, whose projections always have a bias: bias must be true");

                return new Settings(d, k, attention, contextGate, cw, a.Text("value_width") == "model" ? d : cw,
                    a.Bool("relu_v"), a.Bool("match_scale"),
                    Cvnets.MobileViTv2BlockKind.FfnWidth(d, a.Number("ffn_ratio"), a.Int("ffn_divisor")),
                    a.Text("gate_order"), a.Text("gate_act"), a.Bool("gate_bias"), a.Bool("bias"), a.Text("act"));
            }
        }

        /// <summary>One encoder at <paramref name="t"/> (global_rep.i) on tokens [d, P, N].</summary>
        public static void Encoder(Tracer t, Shape tokens, Settings s)
        {
            var attn = t.Scope("pre_norm_attn");
            attn.GroupNorm("0", tokens, 1);
            switch (s.Attention)
            {
                case "massa": Massa(attn.Scope("1"), tokens, s); break;
                case "ssa": Cvnets.MobileViTv2BlockKind.TraceSeparableAttention(attn.Scope("1"), tokens); break;
                default: Mhsa(attn.Scope("1"), tokens, s); break;
            }
            t.Elementwise("pre_norm_attn", tokens.Elements, "residual add");
            Ffn(t.Scope("pre_norm_ffn"), tokens, s);
            t.Elementwise("pre_norm_ffn", tokens.Elements, "residual add");
        }

        private static void Massa(Tracer m, Shape tokens, Settings s)
        {
            int d = s.D, k = s.HiddenTokens, c = s.ContextWidth, v = s.ValueWidth, p = tokens.Height, n = tokens.Width;
            ConvLayerKind.Trace(m.Scope("qkv_proj"), tokens, k + 2 * c + v, 1, 1, 1, s.Bias, false, "none");
            m.Softmax("", (long)k * p * n);                       // context scores
            m.Matmul("", p, k, n, c);                             // context vectors CV = CSᵀ K
            m.Matmul("", p, n, c, k);                             // R · CVᵀ
            if (s.MatchScale) m.Elementwise("", (long)p * n * k, "scale 1/√(γd)");
            m.Softmax("", (long)p * n * k);                       // matching scores
            m.Matmul("", p, n, k, c);                             // matched context vectors MS · CV
            if (s.ReluV) m.Activation("", "relu", (long)v * p * n);
            m.Elementwise("", (long)c * p * n, "matched context · v");
            ConvLayerKind.Trace(m.Scope("out_proj"), Shape.Image(v, p, n), d, 1, 1, 1, s.Bias, false, "none");
        }

        private static void Mhsa(Tracer m, Shape tokens, Settings s)
        {
            int d = s.D, heads = s.HiddenTokens, p = tokens.Height, n = tokens.Width;
            ConvLayerKind.Trace(m.Scope("qkv_proj"), tokens, 3 * d, 1, 1, 1, s.Bias, false, "none");
            m.Matmul("", (long)p * heads, n, d / heads, n);       // Q Kᵀ per head and pixel position
            m.Elementwise("", (long)p * heads * n * n, "scale 1/√(d/h)");
            m.Softmax("", (long)p * heads * n * n);
            m.Matmul("", (long)p * heads, n, n, d / heads);       // attention · V
            ConvLayerKind.Trace(m.Scope("out_proj"), tokens, d, 1, 1, 1, s.Bias, false, "none");
        }

        private static void Ffn(Tracer f, Shape tokens, Settings s)
        {
            int k = s.HiddenTokens, c = s.ContextWidth, p = tokens.Height, n = tokens.Width;
            f.GroupNorm("0", tokens, 1);
            var hidden = ConvLayerKind.Trace(f.Scope("1"), tokens, s.Ffn, 1, 1, 1, s.Bias, false, s.Act);
            if (s.ContextGate)
            {
                ConvLayerKind.Trace(f.Scope("gate_in"), tokens, k, 1, 1, 1, s.GateBias, false, "none");   // x W_k
                if (s.GateOrder == "context_first")
                {
                    f.Linear("context_proj", (long)p * k, c, s.Ffn, s.Bias);                            // cv W_cv + b_cv
                    f.Matmul("", p, n, k, s.Ffn);                                                       // (x W_k)(cv W_cv + b_cv)
                }
                else
                {
                    f.Matmul("", p, n, k, c);                                                           // (x W_k) cv
                    f.Linear("context_proj", (long)p * n, c, s.Ffn, s.Bias);                            // · W_cv + b_cv
                }
                if (s.GateAct != "none") f.Activation("", s.GateAct, hidden.Elements);
                f.Elementwise("", hidden.Elements, "σ(x W₁) · gate");
            }
            ConvLayerKind.Trace(f.Scope("3"), hidden, s.D, 1, 1, 1, s.Bias, false, "none");
        }

        private static string F(double v) => v.ToString("0.####", CultureInfo.InvariantCulture);
    }
}
