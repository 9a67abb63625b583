using System;

namespace ArchDsl.Runtime.Blocks;

/// <summary>
/// LightViTAttention: one <c>qkv</c> projection of all tokens (features laid out [3][heads][d]); local attention of
/// the image tokens in ws×ws windows with a Swin relative position bias; global aggregation (global queries over
/// all image tokens); broadcast (image queries over keys and values that <c>kv_global</c> makes from the
/// aggregated tokens), added to the local result; <c>proj</c> on [aggregated global ; image]. Queries are scaled
/// by d^−0.5 in all three attentions. Own parameter and buffer first in state_dict:
/// relative_position_bias_table, relative_position_index, then qkv, kv_global, proj.
/// </summary>
public sealed class LightViTAttention : Module<TokenState, Tensor>
{
    private readonly long _channels, _heads, _window;
    private readonly double _scale;
    private readonly Tensor _biasTable, _biasIndex;
    private readonly Linear _qkv, _kvGlobal, _proj;

    public LightViTAttention(long in_channels, long heads, long window, bool qkv_bias) : base("LightViTAttention")
    {
        long c = in_channels;
        if (heads < 1 || c % heads != 0) throw new ArgumentException($"{heads} heads do not divide {c} channels", nameof(heads));
        _channels = c;
        _heads = heads;
        _window = window;
        _scale = Math.Pow(c / heads, -0.5);
        // official init: trunc_normal_(std=.02), a plain normal at this width (cut-off at ±2 = 100 σ)
        using (var scope = torch.NewDisposeScope())
            _biasTable = scope.MoveToOuter(torch.randn([(2 * window - 1) * (2 * window - 1), heads]) * 0.02);
        _biasIndex = RelativePositionIndex(window);
        register_parameter("relative_position_bias_table", _biasTable);
        register_buffer("relative_position_index", _biasIndex);
        _qkv = register_module("qkv", new Linear(c, 3 * c, qkv_bias));
        _kvGlobal = register_module("kv_global", new Linear(c, 2 * c, qkv_bias));
        _proj = register_module("proj", new Linear(c, c));
        // the inference plan gathers the bias into [1, heads, ws², ws²] once
        _gatheredBias = Cache(() => new[] { _biasTable }, () => new[] { GatheredBias() });
    }

    private readonly CachedTensors _gatheredBias;

    private Tensor GatheredBias()
    {
        long area = _window * _window;
        return _biasTable.index_select(0, _biasIndex).view(area, area, _heads).permute(2, 0, 1).unsqueeze(0);
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
        var tokens = x.Tokens.Shape;
        if (tokens.Length != 3 || tokens[1] != x.GlobalTokens + x.Height * x.Width || tokens[2] != _channels)
            throw new ShapeMismatchException(name, $"[B, {x.GlobalTokens}+{x.Height}×{x.Width}, {_channels}] (T global tokens, then the H×W image tokens)",
                ShapeCheck.Format(tokens));
        if (x.Height % _window != 0 || x.Width % _window != 0)
            throw new ShapeMismatchException(name, $"tokens of a map whose H and W are multiples of the {_window}×{_window} window",
                $"{ShapeCheck.Format(tokens)} of a {x.Height}×{x.Width} map");
        if (!training && optimizations.HasFlag(InferenceOptimizations.AttentionConstants)) return Planned(x);
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

    /// <summary>The same computation with the plan's constants: the queries are scaled once, in place, for all three
    /// attentions; the bias is gathered once; the image tokens' q, k and v are partitioned into windows with one copy.</summary>
    private Tensor Planned(TokenState x)
    {
        using var scope = torch.NewDisposeScope();
        var s = x.Tokens.Shape;
        long b = s[0], n = s[1], c = s[2], d = c / _heads, t = x.GlobalTokens, hw = n - t;
        long ws = _window, area = ws * ws, nh = x.Height / ws, nw = x.Width / ws;
        var qkv = _qkv.call(x.Tokens).view(b, n, 3, _heads, d).permute(2, 0, 3, 1, 4);
        Tensor q = qkv.select(0, 0).mul_(_scale), k = qkv.select(0, 1), v = qkv.select(0, 2);
        Tensor qImg = q.narrow(2, t, hw), kImg = k.narrow(2, t, hw), vImg = v.narrow(2, t, hw);

        var windows = qkv.narrow(3, t, hw).reshape(3, b, _heads, nh, ws, nw, ws, d).permute(0, 1, 3, 5, 2, 4, 6, 7)
            .reshape(3, b * nh * nw, _heads, area, d);
        var weights = windows.select(0, 0).matmul(windows.select(0, 1).transpose(-2, -1)).add_(_gatheredBias.Get()[0]).softmax(-1);
        var local = weights.matmul(windows.select(0, 2)).transpose(1, 2).reshape(b, nh, nw, ws, ws, c)
            .permute(0, 1, 3, 2, 4, 5).reshape(b, hw, c);

        var aggregated = Attend(q.narrow(2, 0, t), kImg, vImg, scaled: true);
        var kv = _kvGlobal.call(aggregated).view(b, t, 2, _heads, d).permute(2, 0, 3, 1, 4);
        var image = local.add_(Attend(qImg, kv.select(0, 0), kv.select(0, 1), scaled: true));
        return scope.MoveToOuter(_proj.call(torch.cat([aggregated, image], 1)));
    }

    /// <summary>softmax((q·scale) kᵀ) v per head, heads concatenated: [B, heads, M, d] → [B, M, heads·d].</summary>
    private Tensor Attend(Tensor q, Tensor k, Tensor v, bool scaled = false)
    {
        var s = q.Shape;
        var weights = (scaled ? q : q * _scale).matmul(k.transpose(-2, -1)).softmax(-1);
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
