using System;
using System.Buffers;
using ArchDsl.Runtime;

namespace ArchDsl.Tests.Support;

/// <summary>The portable pseudo-random weights of the torchvision golden data (Tests/Data/golden/torchvision):
/// the same rule as <c>portable_values</c> in scripts/golden/torchvision_classics.py, so a model filled here
/// holds bit-for-bit the weights torchvision ran with, without any weight file.
/// <para>State_dict entry <c>index</c> (0-based, in state_dict order) draws u_j in [0, 1) from a splitmix64
/// stream that starts at state 0x9E3779B97F4A7C15 * (index + 1), one number per element in row-major order.
/// Integer tensors (BatchNorm's num_batches_tracked) are 0 and draw nothing. Float tensors: key ending
/// "running_var" 0.5 + u; "running_mean" (u - 0.5) * 0.2; rank below 2: key ending "weight" 1 + (u - 0.5) * 0.2,
/// otherwise (u - 0.5) * 0.2; rank 2 or more: (u - 0.5) * 2 * sqrt(3 / fan_in) with fan_in = numel / shape[0].
/// Computed in double, rounded to float.</para></summary>
public static class PortableWeights
{
    private const ulong Golden = 0x9E3779B97F4A7C15UL;
    private const ulong Mix1 = 0xBF58476D1CE4E5B9UL;
    private const ulong Mix2 = 0x94D049BB133111EBUL;
    private const double TwoToMinus53 = 1.0 / (1UL << 53);

    /// <summary>Overwrites every tensor of <paramref name="model"/>'s state_dict with the portable values
    /// (integer tensors with 0). Floating tensors other than float32 receive the float32 values converted.</summary>
    public static void Fill(Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var noGrad = torch.no_grad();   // writes into parameters
        int index = 0;
        foreach (var (key, tensor) in model.state_dict())
        {
            if (IsFloating(tensor.dtype))
            {
                var shape = tensor.shape;
                int count = Count(key, shape);
                var buffer = ArrayPool<float>.Shared.Rent(count);
                try
                {
                    Generate(key, shape, index, buffer.AsSpan(0, count));
                    using var source = torch.tensor(buffer.AsSpan(0, count), shape);
                    tensor.copy_(source);
                }
                finally
                {
                    ArrayPool<float>.Shared.Return(buffer);
                }
            }
            else
            {
                tensor.fill_(0L);
            }
            index++;
        }
    }

    /// <summary>The values (row-major) of the floating state_dict entry number <paramref name="index"/>, with key
    /// <paramref name="key"/> and shape <paramref name="shape"/> (<c>[]</c> for a 0-dim tensor). Integer entries
    /// are not covered: they are all 0.</summary>
    public static float[] Values(string key, long[] shape, int index)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(shape);
        var values = new float[Count(key, shape)];
        Generate(key, shape, index, values);
        return values;
    }

    private static void Generate(string key, long[] shape, int index, Span<float> into)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ulong state = Golden * (ulong)(index + 1);
        Func<double, double> value = Transform(key, shape, into.Length);
        for (int j = 0; j < into.Length; j++)
        {
            // splitmix64 (all arithmetic wraps modulo 2^64)
            state += Golden;
            ulong z = state;
            z = (z ^ (z >> 30)) * Mix1;
            z = (z ^ (z >> 27)) * Mix2;
            z ^= z >> 31;
            double u = (z >> 11) * TwoToMinus53;
            into[j] = (float)value(u);
        }
    }

    /// <summary>u to value for one entry. The operations and their order match the Python rule exactly
    /// (each step is one IEEE double operation), so the float results are identical.</summary>
    private static Func<double, double> Transform(string key, long[] shape, long numel)
    {
        if (key.EndsWith("running_var", StringComparison.Ordinal)) return u => 0.5 + u;
        if (key.EndsWith("running_mean", StringComparison.Ordinal)) return u => (u - 0.5) * 0.2;
        if (shape.Length < 2)
            return key.EndsWith("weight", StringComparison.Ordinal) ? u => 1.0 + (u - 0.5) * 0.2 : u => (u - 0.5) * 0.2;
        long fanIn = shape[0] == 0 ? 0 : numel / shape[0];
        double scale = Math.Sqrt(3.0 / fanIn);
        return u => (u - 0.5) * 2.0 * scale;
    }

    private static int Count(string key, long[] shape)
    {
        long n = 1;
        foreach (var s in shape)
        {
            if (s < 0) throw new ArgumentException($"'{key}': negative dimension in shape [{string.Join(", ", shape)}]", nameof(shape));
            n = checked(n * s);
        }
        if (n > Array.MaxLength) throw new ArgumentException($"'{key}': {n} elements are too many for one array", nameof(shape));
        return (int)n;
    }

    private static bool IsFloating(ScalarType dtype) =>
        dtype is ScalarType.Float32 or ScalarType.Float64 or ScalarType.Float16 or ScalarType.BFloat16;
}
