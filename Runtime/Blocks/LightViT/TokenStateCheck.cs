namespace ArchDsl.Runtime.Blocks;

/// <summary>Entry checks of the LightViT modules: the token tensor must be [B, T + H·W, C] for the state it travels with.</summary>
internal static class TokenStateCheck
{
    public static void Require(TokenState x, long channels, string module)
    {
        var s = x.Tokens.Shape;
        long expected = x.GlobalTokens + x.Height * x.Width;
        if (s.Length != 3 || s[1] != expected || s[2] != channels)
            throw new ShapeMismatchException(module,
                $"[B, {x.GlobalTokens}+{x.Height}×{x.Width}, {channels}] (T global tokens, then the H×W image tokens)", ShapeCheck.Format(s));
    }
}
