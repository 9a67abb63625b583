namespace ArchDsl.Runtime.Blocks;

/// <summary>
/// LightViT's residual patch merging (official ResidualMergePatch), first module of stages 2 and 3: H and W halve,
/// width Cp → C. Image tokens: <c>reduction</c>(<c>norm</c>(cat[x(0::2, 0::2), x(1::2, 0::2), x(0::2, 1::2),
/// x(1::2, 1::2)])) + <c>res_proj</c>(2×2 max pool of x), the sub-grid order of Swin's patch merging; global tokens:
/// <c>proj</c>(<c>norm2</c>(g)). The official <c>maxp</c> is a MaxPool3d((2, 2, 1)) on [B, H, W, C], the same as a
/// 2×2 max pool of the [B, C, H, W] map. Registration order as official: norm, reduction, norm2, proj, maxp, res_proj.
/// </summary>
public sealed class ResidualMergePatch : Module<TokenState, TokenState>
{
    private readonly long _inChannels;
    private readonly LayerNorm _norm, _norm2;
    private readonly Linear _reduction, _proj, _resProj;
    private readonly MaxPool2d _maxp;

    public ResidualMergePatch(long in_channels, long out_channels, double norm_eps) : base("ResidualMergePatch")
    {
        _inChannels = in_channels;
        _norm = register_module("norm", new LayerNorm(4 * in_channels, norm_eps));
        _reduction = register_module("reduction", new Linear(4 * in_channels, out_channels, bias: false));
        _norm2 = register_module("norm2", new LayerNorm(in_channels, norm_eps));
        _proj = register_module("proj", new Linear(in_channels, out_channels, bias: false));
        _maxp = register_module("maxp", new MaxPool2d(2, 2));
        _resProj = register_module("res_proj", new Linear(in_channels, out_channels, bias: false));
    }

    public override TokenState forward(TokenState x)
    {
        TokenStateCheck.Require(x, _inChannels, name);
        if (x.Height % 2 != 0 || x.Width % 2 != 0)
            throw new ShapeMismatchException(name, $"[B, T+H×W, {_inChannels}] with H and W even",
                $"{ShapeCheck.Format(x.Tokens.Shape)} of a {x.Height}×{x.Width} map");
        using var scope = torch.NewDisposeScope();
        long b = x.Tokens.Shape[0], c = _inChannels, h = x.Height, w = x.Width, t = x.GlobalTokens, merged = h / 2 * (w / 2);
        var globals = x.Tokens.narrow(1, 0, t);
        var grid = x.Tokens.narrow(1, t, h * w).reshape(b, h, w, c);

        var pooled = _maxp.call(grid.permute(0, 3, 1, 2)).permute(0, 2, 3, 1).reshape(b, merged, c);
        var residual = _resProj.call(pooled);

        Tensor SubGrid(long row, long col) => grid.slice(1, row, h, 2).slice(2, col, w, 2);
        var patches = torch.cat([SubGrid(0, 0), SubGrid(1, 0), SubGrid(0, 1), SubGrid(1, 1)], -1).reshape(b, merged, 4 * c);
        var image = _reduction.call(_norm.call(patches)) + residual;
        var tokens = torch.cat([_proj.call(_norm2.call(globals)), image], 1);
        return new TokenState(scope.MoveToOuter(tokens), h / 2, w / 2, t);
    }
}
