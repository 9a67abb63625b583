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

    /// <summary>The model <paramref name="name"/> names ("Family.Variant", any case, as <see cref="ArchDsl.Models.Find"/>
    /// reads it; a family alone means its first variant) in <paramref name="assembly"/> (default: the zoo's), or null
    /// after reporting it unknown in one line with the nearest names.</summary>
    public static (ArchFamilyInfo Family, string Variant)? Model(string name, System.Reflection.Assembly? assembly = null)
    {
        assembly ??= typeof(ArchDsl.Architectures.CasViT).Assembly;
        if (!name.Contains('.') && ArchFamilyInfo.InAssembly(assembly).FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase)) is { } family)
            return (family, family.Variants[0]);
        if (ArchDsl.Models.Find(name, assembly) is { } model) return model;
        Errors.Report(ArchDsl.Models.Unknown(name, assembly));
        return null;
    }

    /// <summary><see cref="Select"/> as a list, or null after reporting a filter that selects nothing (one line).</summary>
    public static List<(ArchFamilyInfo Family, string Variant)>? Selection(string? filter)
    {
        var selected = Select(filter).ToList();
        if (selected.Count > 0) return selected;
        Errors.Report($"no family or model '{filter}'; families: {string.Join(", ", Families.Select(f => f.Name))}");
        return null;
    }

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
