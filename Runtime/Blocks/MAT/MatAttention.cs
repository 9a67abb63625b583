using System;

namespace ArchDsl.Runtime.Blocks;

/// <summary>
/// MAT attention (Vo, PhD thesis, Univ. of Ulsan, 2023, §4.3.1, eqs. 4.1–4.5) on a map [B, C, H, W]: the map cut into
/// w×w windows (ordered by batch, window row, window column; row-major inside); the shared learnable
/// <c>abstract_token</c> prepended to each; self-attention in every merged window (<c>local_qkv</c>); the windows'
/// abstract tokens mixed by self-attention over the N_w windows of the image (<c>mix_qkv</c>, <c>mix_proj</c>); the image
/// tokens' queries of the local attention attending to the mixed tokens (<c>fuse_kv</c>); <c>proj</c> of local output +
/// fusion; the windows put back into the map. Queries are scaled by d^−½ once, before the local attention. With
/// abstract_tokens false it is plain window attention (<c>local_qkv</c>, <c>proj</c>). Projection features are laid out
/// [3 or 2][heads][d]. Parameters in state_dict order: abstract_token, local_qkv, mix_qkv, mix_proj, fuse_kv, proj.
/// </summary>
public sealed class MatAttention : Module<Tensor, Tensor>
{
    private readonly long _channels, _heads, _window;
    private readonly bool _mixing;
    private readonly double _scale;
    private readonly Tensor? _token;
    private readonly Linear _localQkv, _proj;
    private readonly Linear? _mixQkv, _mixProj, _fuseKv;

    public MatAttention(long in_channels, long heads, long window, bool abstract_tokens, bool bias) : base("MatAttention")
    {
        long c = in_channels;
        if (heads < 1 || c % heads != 0) throw new ArgumentException($"{heads} heads do not divide {c} channels", nameof(heads));
        if (window < 1) throw new ArgumentException("the window must be at least 1", nameof(window));
        _channels = c;
        _heads = heads;
        _window = window;
        _mixing = abstract_tokens;
        _scale = Math.Pow(c / heads, -0.5);
        if (abstract_tokens)
        {
            // inferred: trunc_normal_(std=.02), as ViT's class token; a plain normal at this width
            using (var scope = torch.NewDisposeScope())
                _token = scope.MoveToOuter(torch.randn([1, 1, c]) * 0.02);
            register_parameter("abstract_token", _token);
        }
        _localQkv = register_module("local_qkv", new Linear(c, 3 * c, bias));
        if (abstract_tokens)
        {
            _mixQkv = register_module("mix_qkv", new Linear(c, 3 * c, bias));
            _mixProj = register_module("mix_proj", new Linear(c, c, bias));
            _fuseKv = register_module("fuse_kv", new Linear(c, 2 * c, bias));
        }
        _proj = register_module("proj", new Linear(c, c, bias));
    }

    public override Tensor forward(Tensor x)
    {
        var s = x.Shape;
        if (s.Length != 4 || s[1] != _channels)
            throw new ShapeMismatchException(name, $"[B, {_channels}, H, W]", ShapeCheck.Format(s));
        if (s[2] % _window != 0 || s[3] % _window != 0)
            throw new ShapeMismatchException(name, $"a map whose H and W are multiples of the {_window}×{_window} window",
                $"{ShapeCheck.Format(s)}: {_window}×{_window} windows do not tile the {s[2]}×{s[3]} feature map");
        using var scope = torch.NewDisposeScope();
        long b = s[0], c = s[1], h = s[2], w = s[3], ws = _window, area = ws * ws, rows = h / ws, cols = w / ws;
        long windows = rows * cols, d = c / _heads;

        // [B·N_w, w², C]
        var tokens = x.view(b, c, rows, ws, cols, ws).permute(0, 2, 4, 3, 5, 1).reshape(b * windows, area, c);
        var merged = _mixing ? torch.cat([_token!.expand(b * windows, 1, c), tokens], 1) : tokens;
        long n = merged.Shape[1];

        var qkv = _localQkv.call(merged).view(b * windows, n, 3, _heads, d).permute(2, 0, 3, 1, 4);   // [3, B·N_w, h, n, d]
        var q = qkv.select(0, 0) * _scale;
        var local = q.matmul(qkv.select(0, 1).transpose(-2, -1)).softmax(-1).matmul(qkv.select(0, 2)); // [B·N_w, h, n, d]

        // the image tokens in window order, [B, N_w·w², C]
        Tensor image;
        if (_mixing)
        {
            var abstractTokens = local.select(2, 0).reshape(b, windows, c);                          // [B, N_w, C]
            var mqkv = _mixQkv!.call(abstractTokens).view(b, windows, 3, _heads, d).permute(2, 0, 3, 1, 4);
            var mixed = (mqkv.select(0, 0) * _scale).matmul(mqkv.select(0, 1).transpose(-2, -1)).softmax(-1).matmul(mqkv.select(0, 2));
            mixed = _mixProj!.call(mixed.transpose(1, 2).reshape(b, windows, c));

            var kv = _fuseKv!.call(mixed).view(b, windows, 2, _heads, d).permute(2, 0, 3, 1, 4);      // [2, B, h, N_w, d]
            var queries = ImageTokens(q, b, windows, area, d);                                       // [B, h, N_w·w², d]
            var fused = queries.matmul(kv.select(0, 0).transpose(-2, -1)).softmax(-1).matmul(kv.select(0, 1));
            image = Concat(ImageTokens(local, b, windows, area, d)) + Concat(fused);
        }
        else
        {
            image = Concat(local.reshape(b, windows, _heads, area, d).permute(0, 2, 1, 3, 4).reshape(b, _heads, windows * area, d));
        }

        var y = _proj.call(image);
        var map = y.view(b, rows, cols, ws, ws, c).permute(0, 5, 1, 3, 2, 4).reshape(b, c, h, w);
        return scope.MoveToOuter(map);
    }

    /// <summary>The image tokens (all but the first, abstract, token of each window) of [B·N_w, h, w² + 1, d] as
    /// [B, h, N_w·w², d].</summary>
    private Tensor ImageTokens(Tensor t, long b, long windows, long area, long d) =>
        t.narrow(2, 1, area).reshape(b, windows, _heads, area, d).permute(0, 2, 1, 3, 4).reshape(b, _heads, windows * area, d);

    /// <summary>Heads concatenated: [B, h, M, d] → [B, M, h·d].</summary>
    private static Tensor Concat(Tensor t)
    {
        var s = t.Shape;
        return t.transpose(1, 2).reshape(s[0], s[2], s[1] * s[3]);
    }
}
