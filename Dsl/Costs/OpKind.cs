namespace ArchDsl.Dsl.Costs
{
    /// <summary>What one entry of the cost breakdown computes; counting conventions disagree mostly on which of these count.</summary>
    public enum OpKind
    {
        Conv,
        ConvTranspose,
        Linear,
        /// <summary>An attention matmul (QKᵀ, AV, …) written as a tensor product.</summary>
        Matmul,
        BatchNorm,
        LayerNorm,
        GroupNorm,
        Activation,
        /// <summary>Element-wise products and sums (gates, residual-free attention products).</summary>
        Elementwise,
        Softmax,
        AdaptiveAvgPool,
        /// <summary>Tensor.mean over spatial or token axes (not a pooling module).</summary>
        Mean,
        /// <summary>Tensor.sum over some axes.</summary>
        Sum,
        MaxPool,
        AvgPool,
        Interpolate,
        /// <summary>A bare learnable tensor (global tokens, position-bias tables…).</summary>
        Parameter,
    }
}
