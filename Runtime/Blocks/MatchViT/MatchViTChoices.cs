namespace ArchDsl.Runtime.Blocks;

/// <summary>Width of MaSSA's V branch; the paper prints V ∈ R^{N,C} but multiplies it with the N×γC matched context.</summary>
public enum MassaValueWidth
{
    /// <summary>d, as printed (only consistent with γ = 1).</summary>
    Model,
    /// <summary>γ·d, the width of the matched context vectors; out_proj maps γ·d back to d.</summary>
    Context,
}

/// <summary>The axis of one of MaSSA's two softmaxes, both over an N × k matrix: the context scores (I) and the
/// matching scores (R·CVᵀ).</summary>
public enum MassaSoftmaxAxis
{
    /// <summary>Over the k hidden tokens: each token's weights sum to 1.</summary>
    HiddenTokens,
    /// <summary>Over the N tokens: each hidden token's weights sum to 1.</summary>
    Tokens,
}
