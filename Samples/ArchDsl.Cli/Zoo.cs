using System;
using System.Collections.Generic;
using System.Linq;
using ArchDsl.Runtime;

namespace ArchDsl.Cli;

/// <summary>The generated families of ArchDsl.Architectures.</summary>
internal static class Zoo
{
    public static IReadOnlyList<ArchFamilyInfo> Families { get; } =
        ArchFamilyInfo.InAssembly(typeof(ArchDsl.Architectures.CasViT).Assembly);

    public static ArchFamilyInfo? Find(string name) =>
        Families.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Families and variants selected by an optional "Family" or "Family.Variant" filter; without one, the zoo's
    /// variants (test configurations only when named).</summary>
    public static IEnumerable<(ArchFamilyInfo Family, string Variant)> Select(string? filter)
    {
        foreach (var family in Families)
        {
            foreach (var variant in filter is null || string.Equals(filter, family.Name, StringComparison.OrdinalIgnoreCase) ? family.ZooVariants : family.Variants)
            {
                if (filter is null
                    || string.Equals(filter, family.Name, StringComparison.OrdinalIgnoreCase)
                    || string.Equals(filter, $"{family.Name}.{variant}", StringComparison.OrdinalIgnoreCase))
                    yield return (family, variant);
            }
        }
    }
}
