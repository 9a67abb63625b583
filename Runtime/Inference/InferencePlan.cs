using System;
using System.Linq;

namespace ArchDsl.Runtime;

/// <summary>Names of the inference plan's transformations, as the CLI and the benchmark scripts write them.</summary>
public static class InferencePlan
{
    /// <summary><c>all</c>, <c>none</c>, or names of <see cref="InferenceOptimizations"/> separated by commas (any case).</summary>
    public static InferenceOptimizations Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = InferenceOptimizations.None;
        foreach (var word in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Enum.TryParse<InferenceOptimizations>(word, ignoreCase: true, out var one) || word.All(char.IsAsciiDigit))
                throw new ArgumentException($"unknown optimization '{word}'; known: {string.Join(", ", Enum.GetNames<InferenceOptimizations>().Select(n => n.ToLowerInvariant()))}");
            result |= one;
        }
        return result;
    }

    /// <summary>The names <see cref="Parse"/> reads: <c>none</c>, or the transformations' lowercase names joined by commas.</summary>
    public static string Format(InferenceOptimizations plan) =>
        plan == InferenceOptimizations.None ? "none"
            : string.Join(",", Enum.GetValues<InferenceOptimizations>()
                .Where(o => o != InferenceOptimizations.None && o != InferenceOptimizations.All && plan.HasFlag(o))
                .Select(o => o.ToString().ToLowerInvariant()));
}
