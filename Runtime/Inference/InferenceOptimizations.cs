using System;

namespace ArchDsl.Runtime;

/// <summary>The transformations of the inference plan a model takes in eval mode (<see cref="Module.eval"/>) and drops in
/// <see cref="Module.train"/>. Each computes the same function as the unoptimized module (within float32 rounding); each
/// was kept because it measured faster (README, Performance).</summary>
[Flags]
public enum InferenceOptimizations
{
    None = 0,

    /// <summary>A BatchNorm right after a convolution is folded into its weight and bias, and one right before a
    /// convolution without padding into that convolution's; the BatchNorm then passes its input through.</summary>
    FoldBatchNorm = 1,

    /// <summary>Convolutions run through oneDNN on channels-last maps (libtorch's own choice is a single-threaded GEMM for
    /// 1×1 kernels and reorders of NCHW maps around oneDNN for the others), and later layers see channels-last maps.
    /// That helps some networks and slows others, so a model measures its first pass after eval() both ways and drops
    /// this when it is not faster (<see cref="ArchModule"/>).</summary>
    ChannelsLast = 2,

    /// <summary>Attention with fewer passes over memory: LightViT's relative position bias gathered once (not every call),
    /// its queries scaled once in place for its three attentions, its windows partitioned with one copy for q, k and v.</summary>
    AttentionConstants = 4,

    /// <summary>An activation whose input nothing else reads overwrites it instead of allocating its output (declared by
    /// the generated code from the architecture's dataflow).</summary>
    InPlaceActivations = 8,

    /// <summary>Linear layers run through oneDNN's matmul instead of the BLAS library libtorch calls (Debian's OpenBLAS),
    /// which is slower on the narrow shapes of light transformers; with <see cref="ChannelsLast"/>, so do pointwise
    /// convolutions (1×1, stride 1, no padding or groups: a linear layer over the pixels), where oneDNN's convolution
    /// would reorder the weight on every call. Measured per model like <see cref="ChannelsLast"/>, and kept only when
    /// faster.</summary>
    OneDnnLinear = 16,

    /// <summary>An activation that alone reads a linear layer's output is applied inside that layer's oneDNN matmul (a
    /// post-op: no second pass over the output), and then passes its input through (declared by the generated code
    /// from the architecture's dataflow). Takes effect with <see cref="OneDnnLinear"/>.</summary>
    FuseActivations = 32,

    All = FoldBatchNorm | ChannelsLast | AttentionConstants | InPlaceActivations | OneDnnLinear | FuseActivations,
}
