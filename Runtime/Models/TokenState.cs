namespace ArchDsl.Runtime;

/// <summary>
/// What token-based stages (LightViT) pass between rows: the tokens of an H×W feature map, preceded by T global
/// tokens, in one tensor [B, T + H·W, C] (the official layout; image tokens row-major). The Dsl's Shape.Tokens
/// describes it. Disposal goes with the tensor.
/// </summary>
public readonly record struct TokenState(Tensor Tokens, long Height, long Width, long GlobalTokens)
{
    public long Channels => Tokens.Shape[^1];

    /// <summary>The image tokens as a feature map [B, C, H, W] (a new tensor).</summary>
    public Tensor ImageMap()
    {
        using var scope = torch.NewDisposeScope();
        var s = Tokens.Shape;
        var image = Tokens.narrow(1, GlobalTokens, Height * Width).transpose(1, 2).reshape(s[0], s[2], Height, Width);
        return scope.MoveToOuter(image.contiguous());
    }
}
