using System;

namespace ArchDsl.Runtime.Blocks;

/// <summary>
/// PartialFormer's partial attention (Vo, PhD thesis, Univ. of Ulsan, 2023, §5.3.2, Eqs. 5.4–5.7; ECCV 2024
/// "Efficient Vision Transformers with Partial Attention"). No official code exists; this is the formalisation of the
/// thesis's equations, with the choices it leaves open documented on the Dsl kind (partial_attention). On tokens
/// [B, N, d] and a ranking stream of the same shape:
/// <list type="number">
/// <item>the N tokens sorted by the channel mean of the ranking stream, largest first (Eq. 5.4), and gathered in that
/// order; the first N_F = min(foreground, N) are the foreground, the rest the background;</item>
/// <item><c>abstract_token</c> Q_A prepended; one <c>qkv</c> projection of the N + 1 tokens, features [3][heads][d_h];</item>
/// <item>MMSA on [Q_A; X_F] (Eq. 5.5): (q·d_h^−½)kᵀ, HeadMLP across heads (<c>head_mlp.fc1</c> h → e·h, softmax over the
/// keys, <c>head_mlp.fc2</c> e·h → h), times V; the foreground rows, heads concatenated, through <c>proj</c>;</item>
/// <item>SQA (Eq. 5.6): the Q_A row of the MMSA heads, scaled by d_h^−½, attends over the background keys and values;</item>
/// <item>ChannelMLP (Eq. 5.7): <c>channel_mlp.fc1</c> d → d/r, <c>channel_mlp.norm</c>, ReLU, <c>channel_mlp.fc2</c>
/// d/r → d, added to every background token of the input;</item>
/// <item>the outputs scattered back to the tokens' original positions.</item>
/// </list>
/// With N_F ≥ N every token is foreground and SQA and the ChannelMLP do not run. State-dict order: abstract_token, qkv,
/// head_mlp.fc1, head_mlp.fc2, proj, channel_mlp.fc1, channel_mlp.norm, channel_mlp.fc2.
/// </summary>
public sealed class PartialAttention : Module<(Tensor Tokens, Tensor Ranking), Tensor>
{
    private readonly long _dim, _heads, _foreground;
    private readonly double _scale;
    private readonly Tensor _abstractToken;
    private readonly Linear _qkv, _headFc1, _headFc2, _proj, _channelFc1, _channelFc2;
    private readonly LayerNorm _channelNorm;

    public PartialAttention(long dim, long heads, long foreground, long head_expansion, long channel_reduction, bool qkv_bias)
        : base("PartialAttention")
    {
        if (heads < 1 || dim % heads != 0) throw new ArgumentException($"{heads} heads do not divide {dim} channels", nameof(heads));
        if (channel_reduction < 1 || dim % channel_reduction != 0)
            throw new ArgumentException($"the ChannelMLP reduction {channel_reduction} does not divide {dim} channels", nameof(channel_reduction));
        if (foreground < 1) throw new ArgumentException("at least one foreground token", nameof(foreground));
        if (head_expansion < 1) throw new ArgumentException("the HeadMLP expansion must be at least 1", nameof(head_expansion));
        _dim = dim;
        _heads = heads;
        _foreground = foreground;
        _scale = Math.Pow(dim / heads, -0.5);
        // the thesis gives no initialisation; a normal of std 0.02, as ViTs initialise their learned tokens
        using (var scope = torch.NewDisposeScope())
            _abstractToken = scope.MoveToOuter(torch.randn([1, 1, dim]) * 0.02);
        register_parameter("abstract_token", _abstractToken);
        _qkv = register_module("qkv", new Linear(dim, 3 * dim, qkv_bias));
        _headFc1 = RegisterAt("head_mlp.fc1", new Linear(heads, head_expansion * heads));
        _headFc2 = RegisterAt("head_mlp.fc2", new Linear(head_expansion * heads, heads));
        _proj = register_module("proj", new Linear(dim, dim));
        long reduced = dim / channel_reduction;
        _channelFc1 = RegisterAt("channel_mlp.fc1", new Linear(dim, reduced));
        _channelNorm = RegisterAt("channel_mlp.norm", new LayerNorm(reduced));
        _channelFc2 = RegisterAt("channel_mlp.fc2", new Linear(reduced, dim));
    }

    /// <summary>The foreground size N_F this module was built with (all N tokens when N_F ≥ N).</summary>
    public long foreground => _foreground;

    public override Tensor forward((Tensor Tokens, Tensor Ranking) input)
    {
        var (x, ranking) = input;
        var s = x.Shape;
        if (s.Length != 3 || s[2] != _dim) throw new ShapeMismatchException(name, $"tokens [B, N, {_dim}]", ShapeCheck.Format(s));
        if (!ranking.Shape.AsSpan().SequenceEqual(s))
            throw new ShapeMismatchException(name, $"a ranking stream of the tokens' shape {ShapeCheck.Format(s)}", ShapeCheck.Format(ranking.Shape));
        using var scope = torch.NewDisposeScope();
        long b = s[0], n = s[1], d = _dim, h = _heads, dh = d / h;
        long fg = Math.Min(_foreground, n), bg = n - fg, m = fg + 1;

        // token separation (Eq. 5.4): sort by the channel mean, largest first, and gather the tokens in that order
        var order = ranking.mean(-1).topk(n, dim: -1).indexes;                                // s [B, N]
        var index = order.unsqueeze(-1).expand(b, n, d);
        var gathered = x.gather(1, index);                                                    // X_G [B, N, d]
        var tokens = torch.cat([_abstractToken.expand(b, 1, d), gathered], 1);                // [Q_A; X_G]
        var qkv = _qkv.call(tokens).view(b, n + 1, 3, h, dh).permute(2, 0, 3, 1, 4);          // [3, B, h, N+1, d_h]
        Tensor q = qkv.select(0, 0), k = qkv.select(0, 1), v = qkv.select(0, 2);

        // MMSA on [Q_A; X_F] (Eq. 5.5): HeadMLP mixes the heads' logits, softmax over the keys between its layers
        var logits = (q.narrow(2, 0, m) * _scale).matmul(k.narrow(2, 0, m).transpose(-2, -1));   // [B, h, M, M]
        var mixed = _headFc2.call(_headFc1.call(logits.permute(0, 2, 3, 1)).softmax(2)).permute(0, 3, 1, 2);
        var heads = mixed.matmul(v.narrow(2, 0, m));                                          // [B, h, M, d_h]
        var sorted = _proj.call(heads.narrow(2, 1, fg).transpose(1, 2).reshape(b, fg, d));    // O_F
        if (bg > 0)
        {
            // SQA (Eq. 5.6): the abstracted Q_A row queries the background keys and values of the same projection
            var weights = (heads.narrow(2, 0, 1) * _scale).matmul(k.narrow(2, m, bg).transpose(-2, -1)).softmax(-1);
            var summary = weights.matmul(v.narrow(2, m, bg)).transpose(1, 2).reshape(b, 1, d);   // Y_B [B, 1, d]
            // ChannelMLP and the broadcast sum with the background tokens (Eq. 5.7)
            var update = _channelFc2.call(_channelNorm.call(_channelFc1.call(summary)).relu());
            sorted = torch.cat([sorted, gathered.narrow(1, fg, bg) + update], 1);             // [O_F; O_B]
        }
        // back to the original token order
        return scope.MoveToOuter(torch.zeros([b, n, d], x.dtype).scatter(1, index, sorted));
    }
}
