namespace ArchDsl.Runtime.Blocks;

/// <summary>
/// LightViT's stem (official ConvStem as <c>patch_embed</c>) and its learnable global tokens (<c>global_token</c>,
/// [1, T, C]): image [B, 3, H, W] → tokens [B, T + H/8·W/8, C], global tokens first, image tokens row-major.
/// Registered inline by the generated model, so <c>global_token</c> is the model's own parameter and its first key.
/// </summary>
public sealed class LightViTStem : Module<Tensor, TokenState>
{
    private readonly long _inChannels, _channels, _patch, _tokens;
    private readonly Tensor _globalToken;
    private readonly ConvStem _patchEmbed;

    public LightViTStem(long in_channels, long out_channels, long patch, long global_tokens, double norm_eps, double bn_eps)
        : base("LightViTStem")
    {
        _inChannels = in_channels;
        _channels = out_channels;
        _patch = patch;
        _tokens = global_tokens;
        // official init: trunc_normal_(std=.02), whose cut-off at ±2 lies 100 σ out: a plain normal
        using (var scope = torch.NewDisposeScope())
            _globalToken = scope.MoveToOuter(torch.randn([1, global_tokens, out_channels]) * 0.02);
        register_parameter("global_token", _globalToken);
        _patchEmbed = register_module("patch_embed", new ConvStem(in_channels, out_channels, norm_eps, bn_eps));
    }

    public override TokenState forward(Tensor x)
    {
        ShapeCheck.NCHW(x, _inChannels, name);
        var s = x.Shape;
        if (s[2] % _patch != 0 || s[3] % _patch != 0)
            throw new ShapeMismatchException(name, $"[N, {_inChannels}, H, W] with H and W multiples of {_patch}", ShapeCheck.Format(s));
        using var scope = torch.NewDisposeScope();
        var image = _patchEmbed.call(x);
        var globals = _globalToken.expand(s[0], _tokens, _channels);
        var tokens = torch.cat([globals, image], 1);
        return new TokenState(scope.MoveToOuter(tokens), s[2] / _patch, s[3] / _patch, _tokens);
    }

    /// <summary><c>stem</c> = 3×3/2 conv to C/2, three 3×3 depthwise convs (the last with stride 2), each without bias
    /// and followed by BN and GELU; <c>proj</c> 3×3/2 conv to C with bias; flattened row-major; <c>norm</c> LayerNorm.</summary>
    private sealed class ConvStem : Module<Tensor, Tensor>
    {
        private readonly Sequential _stem;
        private readonly Conv2d _proj;
        private readonly LayerNorm _norm;

        public ConvStem(long inChannels, long c, double normEps, double bnEps) : base("ConvStem")
        {
            long s = c / 2;
            _stem = register_module("stem", new Sequential(
                new Conv2d(inChannels, s, 3, stride: 2, padding: 1, bias: false), new BatchNorm2d(s, bnEps), new GELU(),
                new Conv2d(s, s, 3, stride: 1, padding: 1, groups: s, bias: false), new BatchNorm2d(s, bnEps), new GELU(),
                new Conv2d(s, s, 3, stride: 1, padding: 1, groups: s, bias: false), new BatchNorm2d(s, bnEps), new GELU(),
                new Conv2d(s, s, 3, stride: 2, padding: 1, groups: s, bias: false), new BatchNorm2d(s, bnEps), new GELU()));
            _proj = register_module("proj", new Conv2d(s, c, 3, stride: 2, padding: 1));
            _norm = register_module("norm", new LayerNorm(c, normEps));
        }

        public override Tensor forward(Tensor x)
        {
            using var scope = torch.NewDisposeScope();
            var map = _proj.call(_stem.call(x));
            return scope.MoveToOuter(_norm.call(map.flatten(2).transpose(1, 2)));
        }
    }
}
