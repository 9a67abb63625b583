using System;

namespace ArchDsl.Runtime;

/// <summary>
/// A BatchNorm folded into a neighbouring convolution for inference. In eval mode BatchNorm is the per-channel affine map
/// y = s·x + t with s = γ / √(running_var + eps) and t = β − running_mean·s, so
/// <list type="bullet">
/// <item>after a convolution (W, b): W' = s·W (per output channel), b' = s·b + t;</item>
/// <item>before a convolution without padding and groups (W, b): W' = W·s (per input channel), b' = b + Σ W·t (padding
/// would add zeros where the unfolded network sees t, so it is not folded there).</item>
/// </list>
/// The folded tensors are a <see cref="CachedTensors"/> of the six source tensors.
/// </summary>
public sealed class BatchNormFold
{
    internal BatchNormFold(Conv2d conv, BatchNorm2d norm, bool normFirst, CachedTensors folded)
    {
        Conv = conv;
        Norm = norm;
        NormFirst = normFirst;
        Cache = folded;
    }

    /// <summary>The folded weight and bias of a pair, from its current tensors.</summary>
    internal static Tensor[] Compute(Conv2d conv, BatchNorm2d norm, bool normFirst)
    {
        var scale = norm.running_var!.add(norm.eps).rsqrt();
        if (norm.weight is not null) scale = scale * norm.weight;
        var shift = norm.running_mean!.neg() * scale;
        if (norm.bias is not null) shift = shift + norm.bias;
        if (normFirst)
        {
            var weight = conv.weight * scale.view(1, conv.in_channels, 1, 1);
            var shifted = conv.weight.sum([2L, 3L]).matmul(shift);  // [out, in] · [in]
            return new[] { weight, conv.bias is null ? shifted : shifted + conv.bias };
        }
        return new[] { conv.weight * scale.view(conv.out_channels, 1, 1, 1), conv.bias is null ? shift : conv.bias * scale + shift };
    }

    internal static Tensor?[] Sources(Conv2d conv, BatchNorm2d norm) =>
        new[] { conv.weight, conv.bias, norm.weight, norm.bias, norm.running_mean, norm.running_var };

    public Conv2d Conv { get; }
    public BatchNorm2d Norm { get; }

    /// <summary>The BatchNorm runs before the convolution (folded into its input side).</summary>
    public bool NormFirst { get; }

    internal CachedTensors Cache { get; }

    /// <summary>Whether the pair can be folded: eval statistics exist, and a BatchNorm before the convolution meets
    /// neither padding nor groups.</summary>
    public bool Applies =>
        Norm.running_mean is not null && Norm.running_var is not null
        && (!NormFirst || (Conv.padding == (0, 0) && Conv.groups == 1));

    /// <summary>The folded weight and bias, computed again when a source tensor changed.</summary>
    internal (Tensor Weight, Tensor Bias) Folded()
    {
        var values = Cache.Get();
        return (values[0], values[1]);
    }
}
