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

    /// <summary>Each convolution runs through oneDNN on channels-last maps when that measured faster than libtorch's choice
    /// for its input shape (timed on the first call with each shape; libtorch picks a single-threaded GEMM for 1×1
    /// kernels and reorders NCHW maps around oneDNN for the others). Its output is then channels-last, as later
    /// layers see it.</summary>
    ChannelsLast = 2,

    /// <summary>Constants of attention computed once instead of every call: LightViT's query scale folded into its qkv
    /// projection and its relative position bias gathered; its windows partitioned with one copy for q, k and v.</summary>
    AttentionConstants = 4,

    All = FoldBatchNorm | ChannelsLast | AttentionConstants,
}
