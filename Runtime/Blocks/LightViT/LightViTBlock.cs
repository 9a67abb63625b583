using System;

namespace ArchDsl.Runtime.Blocks;

/// <summary>
/// LightViT's block (official Block) on [B, T + H·W, C] tokens: z + attn(norm1(z)); z + mlp(norm2(z)), the global
/// tokens going through both like the image tokens. Names and registration order are the official ones:
/// norm1, attn, norm2, mlp. Drop path is the identity at inference and not modelled.
/// </summary>
public sealed class LightViTBlock : Module<TokenState, TokenState>
{
    private readonly long _channels, _window;
    private readonly LayerNorm _norm1, _norm2;
    private readonly LightViTAttention _attn;
    private readonly BiAttnMlp _mlp;

    public LightViTBlock(long in_channels, long heads, long window, double mlp_ratio, bool qkv_bias, double norm_eps,
        double biattn_ratio, double biattn_norm_eps) : base("LightViTBlock")
    {
        _channels = in_channels;
        _window = window;
        _norm1 = register_module("norm1", new LayerNorm(in_channels, norm_eps));
        _attn = register_module("attn", new LightViTAttention(in_channels, heads, window, qkv_bias));
        _norm2 = register_module("norm2", new LayerNorm(in_channels, norm_eps));
        _mlp = register_module("mlp", new BiAttnMlp(in_channels, (long)(in_channels * mlp_ratio), biattn_ratio, biattn_norm_eps));
    }

    public override TokenState forward(TokenState x)
    {
        TokenStateCheck.Require(x, _channels, name);
        if (x.Height % _window != 0 || x.Width % _window != 0)
            throw new ShapeMismatchException(name, $"[B, T+H×W, {_channels}] with H and W multiples of the {_window}×{_window} window",
                $"{ShapeCheck.Format(x.Tokens.Shape)} of a {x.Height}×{x.Width} map");
        using var scope = torch.NewDisposeScope();
        var z = x.Tokens + _attn.call(x with { Tokens = _norm1.call(x.Tokens) });
        z = z + _mlp.call(_norm2.call(z));
        return x with { Tokens = scope.MoveToOuter(z) };
    }

    /// <summary>
    /// LightViTAttention: one <c>qkv</c> projection of all tokens (features laid out [3][heads][d]); local attention of
    /// the image tokens in ws×ws windows with a Swin relative position bias; global aggregation (global queries over
    /// all image tokens); broadcast (image queries over keys and values that <c>kv_global</c> makes from the
    /// aggregated tokens), added to the local result; <c>proj</c> on [aggregated global ; image]. Queries are scaled
    /// by d^−0.5 in all three attentions. Own parameter and buffer first in state_dict:
    /// relative_position_bias_table, relative_position_index, then qkv, kv_global, proj.
    /// </summary>
    private sealed class LightViTAttention : Module<TokenState, Tensor>
    {
        private readonly long _heads, _window;
        private readonly double _scale;
        private readonly Tensor _biasTable, _biasIndex;
        private readonly Linear _qkv, _kvGlobal, _proj;

        public LightViTAttention(long c, long heads, long window, bool qkvBias) : base("LightViTAttention")
        {
            _heads = heads;
            _window = window;
            _scale = Math.Pow(c / heads, -0.5);
            // official init: trunc_normal_(std=.02), a plain normal at this width (cut-off at ±2 = 100 σ)
            using (var scope = torch.NewDisposeScope())
                _biasTable = scope.MoveToOuter(torch.randn([(2 * window - 1) * (2 * window - 1), heads]) * 0.02);
            _biasIndex = RelativePositionIndex(window);
            register_parameter("relative_position_bias_table", _biasTable);
            register_buffer("relative_position_index", _biasIndex);
            _qkv = register_module("qkv", new Linear(c, 3 * c, qkvBias));
            _kvGlobal = register_module("kv_global", new Linear(c, 2 * c, qkvBias));
            _proj = register_module("proj", new Linear(c, c));
        }

        /// <summary>Swin V1's index: entry (i, j) for window positions i = (r_i, c_i) and j is
        /// (r_i − r_j + ws − 1)·(2ws − 1) + (c_i − c_j + ws − 1), flattened to [ws⁴].</summary>
        private static Tensor RelativePositionIndex(long ws)
        {
            long area = ws * ws;
            var index = new long[area * area];
            for (long i = 0; i < area; i++)
                for (long j = 0; j < area; j++)
                    index[i * area + j] = (i / ws - j / ws + ws - 1) * (2 * ws - 1) + (i % ws - j % ws + ws - 1);
            return torch.tensor(index);
        }

        public override Tensor forward(TokenState x)
        {
            using var scope = torch.NewDisposeScope();
            var s = x.Tokens.Shape;
            long b = s[0], n = s[1], c = s[2], d = c / _heads, t = x.GlobalTokens, hw = n - t;
            var qkv = _qkv.call(x.Tokens).view(b, n, 3, _heads, d).permute(2, 0, 3, 1, 4); // [3, B, heads, N, d]
            Tensor q = qkv.select(0, 0), k = qkv.select(0, 1), v = qkv.select(0, 2);
            Tensor qImg = q.narrow(2, t, hw), kImg = k.narrow(2, t, hw), vImg = v.narrow(2, t, hw);

            var local = Local(qImg, kImg, vImg, x.Height, x.Width);
            var aggregated = Attend(q.narrow(2, 0, t), kImg, vImg);                         // [B, T, C]
            var kv = _kvGlobal.call(aggregated).view(b, t, 2, _heads, d).permute(2, 0, 3, 1, 4);  // [2, B, heads, T, d]
            var image = local + Attend(qImg, kv.select(0, 0), kv.select(0, 1));               // [B, HW, C]
            return scope.MoveToOuter(_proj.call(torch.cat([aggregated, image], 1)));
        }

        /// <summary>softmax((q·scale) kᵀ) v per head, heads concatenated: [B, heads, M, d] → [B, M, heads·d].</summary>
        private Tensor Attend(Tensor q, Tensor k, Tensor v)
        {
            var s = q.Shape;
            var weights = (q * _scale).matmul(k.transpose(-2, -1)).softmax(-1);
            return weights.matmul(v).transpose(1, 2).reshape(s[0], s[2], s[1] * s[3]);
        }

        /// <summary>Attention within ws×ws windows, ordered (batch, window row, window column) with row-major tokens
        /// inside; the result is put back in row-major image order, [B, H·W, C].</summary>
        private Tensor Local(Tensor q, Tensor k, Tensor v, long h, long w)
        {
            var s = q.Shape;
            long b = s[0], d = s[3], ws = _window, area = ws * ws, nh = h / ws, nw = w / ws;
            Tensor Partition(Tensor z) =>
                z.reshape(b, _heads, nh, ws, nw, ws, d).permute(0, 2, 4, 1, 3, 5, 6).reshape(b * nh * nw, _heads, area, d);

            var bias = _biasTable.index_select(0, _biasIndex).view(area, area, _heads).permute(2, 0, 1).unsqueeze(0);
            var weights = ((Partition(q) * _scale).matmul(Partition(k).transpose(-2, -1)) + bias).softmax(-1);
            var windows = weights.matmul(Partition(v)).transpose(1, 2).reshape(b, nh, nw, ws, ws, _heads * d);
            return windows.permute(0, 1, 3, 2, 4, 5).reshape(b, h * w, _heads * d);
        }
    }

    /// <summary>BiAttnMlp: <c>fc1</c>, GELU (<c>act</c>), <c>fc2</c>, then the BiAttn gate <c>attn</c>.</summary>
    private sealed class BiAttnMlp : Module<Tensor, Tensor>
    {
        private readonly Linear _fc1, _fc2;
        private readonly GELU _act;
        private readonly BiAttn _attn;

        public BiAttnMlp(long c, long hidden, double ratio, double normEps) : base("BiAttnMlp")
        {
            _fc1 = register_module("fc1", new Linear(c, hidden));
            _act = register_module("act", new GELU());
            _fc2 = register_module("fc2", new Linear(hidden, c));
            _attn = register_module("attn", new BiAttn(c, ratio, normEps));
        }

        public override Tensor forward(Tensor x)
        {
            using var scope = torch.NewDisposeScope();
            return scope.MoveToOuter(_attn.call(_fc2.call(_act.call(_fc1.call(x)))));
        }
    }

    /// <summary>
    /// BiAttn: on m̃ = <c>norm</c>(m), g = GELU(<c>global_reduce</c>(mean of m̃ over all tokens)),
    /// l = GELU(<c>local_reduce</c>(m̃)); channel gate σ(<c>channel_select</c>(g)) [B, 1, C], spatial gate
    /// σ(<c>spatial_select</c>([l ‖ g])) [B, N, 1]; returns m · (channel gate · spatial gate), m un-normalised.
    /// </summary>
    private sealed class BiAttn : Module<Tensor, Tensor>
    {
        private readonly LayerNorm _norm;
        private readonly Linear _globalReduce, _localReduce, _channelSelect, _spatialSelect;
        private readonly GELU _act;
        private readonly Sigmoid _gate;

        public BiAttn(long c, double ratio, double normEps) : base("BiAttn")
        {
            long r = (long)(c * ratio);
            _norm = register_module("norm", new LayerNorm(c, normEps));
            _globalReduce = register_module("global_reduce", new Linear(c, r));
            _localReduce = register_module("local_reduce", new Linear(c, r));
            _act = register_module("act_fn", new GELU());
            _channelSelect = register_module("channel_select", new Linear(r, c));
            _spatialSelect = register_module("spatial_select", new Linear(2 * r, 1));
            _gate = register_module("gate_fn", new Sigmoid());
        }

        public override Tensor forward(Tensor m)
        {
            using var scope = torch.NewDisposeScope();
            var s = m.Shape;
            var normed = _norm.call(m);
            var pooled = _act.call(_globalReduce.call(normed.mean(1, keepdim: true)));   // [B, 1, r]
            var local = _act.call(_localReduce.call(normed));                             // [B, N, r]
            var channel = _gate.call(_channelSelect.call(pooled));                        // [B, 1, C]
            var both = torch.cat([local, pooled.expand(s[0], s[1], pooled.Shape[2])], -1);
            var spatial = _gate.call(_spatialSelect.call(both));                          // [B, N, 1]
            return scope.MoveToOuter(m * (channel * spatial));
        }
    }
}
