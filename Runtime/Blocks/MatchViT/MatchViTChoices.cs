namespace ArchDsl.Runtime.Blocks;

/// <summary>The token mixer of a MatchViT encoder (Table 4 ablates MaSSA against SSA and MHSA).</summary>
public enum MatchViTAttention
{
    /// <summary>Matching separable self-attention, MatchViT's own.</summary>
    Massa,
    /// <summary>MobileViTv2's separable self-attention (cvnets LinearSelfAttention).</summary>
    Ssa,
    /// <summary>Multi-head self-attention over the tokens.</summary>
    Mhsa,
}

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

/// <summary>How the context gate σ(x W_k · cv W_cv) of Eq. 5 is evaluated (same parameters, different costs and bias placement).</summary>
public enum ContextGateOrder
{
    /// <summary>(x W_k)(cv W_cv + b_cv): the k context vectors are projected first.</summary>
    ContextFirst,
    /// <summary>((x W_k) cv) W_cv + b_cv: every token's mixture of context vectors is projected.</summary>
    TokensFirst,
}
