using System;

namespace ArchDsl.Runtime;

/// <summary>Input checks for module entry points: each failure is a <see cref="ShapeMismatchException"/>
/// naming the module and both shapes, raised before any native call.</summary>
public static class ShapeCheck
{
    /// <summary>"[2, 3, 64, 64]".</summary>
    public static string Format(ReadOnlySpan<long> shape) => "[" + string.Join(", ", shape.ToArray()) + "]";

    /// <summary>A 4-d (N, C, H, W) tensor with <paramref name="channels"/> channels.</summary>
    public static void NCHW(Tensor x, long channels, string module)
    {
        var s = x.Shape;
        if (s.Length != 4 || s[1] != channels) throw new ShapeMismatchException(module, $"[N, {channels}, H, W]", Format(s));
    }

    /// <summary>A tensor of exactly the expected shape, where −1 stands for any size (the batch, a resolution-dependent
    /// dimension).</summary>
    public static void Matches(Tensor x, ReadOnlySpan<long> expected, string module)
    {
        var s = x.Shape;
        bool ok = s.Length == expected.Length;
        for (int i = 0; ok && i < s.Length; i++) ok = expected[i] < 0 || expected[i] == s[i];
        if (!ok) throw new ShapeMismatchException(module, Expected(expected), Format(s));
    }

    private static string Expected(ReadOnlySpan<long> expected)
    {
        var parts = new string[expected.Length];
        for (int i = 0; i < parts.Length; i++) parts[i] = i == 0 ? "B" : expected[i] < 0 ? "*" : expected[i].ToString(System.Globalization.CultureInfo.InvariantCulture);
        return "[" + string.Join(", ", parts) + "]";
    }

    /// <summary>A tensor of rank at least 1 whose last dimension is <paramref name="size"/>.</summary>
    public static void LastDim(Tensor x, long size, string module)
    {
        var s = x.Shape;
        if (s.Length == 0 || s[^1] != size) throw new ShapeMismatchException(module, $"[..., {size}]", Format(s));
    }

    /// <summary>A tensor whose trailing dimensions equal <paramref name="trailing"/>.</summary>
    public static void Trailing(Tensor x, ReadOnlySpan<long> trailing, string module)
    {
        var s = x.Shape;
        if (s.Length < trailing.Length || !s.AsSpan(s.Length - trailing.Length).SequenceEqual(trailing))
            throw new ShapeMismatchException(module, "[..., " + Format(trailing)[1..], Format(s));
    }

    /// <summary>A tensor of rank at least 2 with <paramref name="channels"/> in dimension 1 (batch, channels, ...).</summary>
    public static void Channels(Tensor x, long channels, string module)
    {
        var s = x.Shape;
        if (s.Length < 2 || s[1] != channels) throw new ShapeMismatchException(module, $"[N, {channels}, ...]", Format(s));
    }
}
