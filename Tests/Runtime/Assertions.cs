using System;
using ArchDsl.Runtime;
using Xunit;

namespace ArchDsl.Tests.Runtime;

internal static class Assertions
{
    /// <summary>Shape equal and every element within <paramref name="tolerance"/>.</summary>
    public static void Close(float[] expected, Tensor actual, long[] shape, double tolerance = 1e-5)
    {
        Assert.Equal(shape, actual.shape);
        var values = actual.data<float>();
        Assert.Equal(expected.Length, values.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (Math.Abs(expected[i] - values[i]) > tolerance)
                Assert.Fail($"element {i}: expected {expected[i]}, got {values[i]} (tolerance {tolerance})");
        }
    }
}
