using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using ArchDsl.Dsl.Util;
using ArchDsl.Runtime;

namespace ArchDsl;

/// <summary>
/// Models by name, timm-style: <c>Models.Create("CasViT.XS", new ModelOptions { ["classes"] = 10 })</c>, over every
/// family generated into the given assemblies (by default, every loaded one). Names are "Family.Variant" (the variant's
/// class name or its name in the file), matched without regard to case.
/// </summary>
public static class Models
{
    /// <summary>Every model name ("Family.Variant") in <paramref name="assemblies"/>, or in every loaded assembly.</summary>
    public static IReadOnlyList<string> Names(params Assembly[] assemblies) =>
        Families(assemblies).SelectMany(f => f.Variants.Select(v => $"{f.Name}.{v}")).ToList();

    /// <summary>Builds the model called <paramref name="name"/>, with <paramref name="options"/> replacing the file's
    /// variable values; an unknown name is an <see cref="ArgumentException"/> listing the nearest names.</summary>
    public static ArchModule Create(string name, ModelOptions? options = null, params Assembly[] assemblies)
    {
        var (family, variant) = Find(name, assemblies) ?? throw new ArgumentException(Unknown(name, assemblies), nameof(name));
        return family.Create(variant, options);
    }

    /// <summary>The family and variant class name that <paramref name="name"/> ("Family.Variant", any case) names in
    /// <paramref name="assemblies"/> (or every loaded one), or null.</summary>
    public static (ArchFamilyInfo Family, string Variant)? Find(string name, params Assembly[] assemblies)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (var family in Families(assemblies))
            foreach (var variant in family.Analysis.Variants)
                if (string.Equals(name, $"{family.Name}.{variant.Spec.ClassName}", StringComparison.OrdinalIgnoreCase)
                    || string.Equals(name, $"{family.Name}.{variant.Name}", StringComparison.OrdinalIgnoreCase))
                    return (family, variant.Spec.ClassName);
        return null;
    }

    /// <summary>"no model 'casvit.xz'; did you mean CasViT.XS, CasViT.S?": the names within a few edits, closest first.</summary>
    public static string Unknown(string name, params Assembly[] assemblies)
    {
        var known = Names(assemblies);
        if (known.Count == 0) return $"no model '{name}': no ArchDsl families are loaded (pass the assembly that holds them)";
        var near = Suggest.Nearest(name, known, 5);
        return near.Count > 0
            ? $"no model '{name}'; did you mean {string.Join(", ", near)}?"
            : $"no model '{name}'; models: {string.Join(", ", known)}";
    }

    private static IReadOnlyList<ArchFamilyInfo> Families(Assembly[] assemblies)
    {
        var from = assemblies.Length > 0 ? assemblies
            : AppDomain.CurrentDomain.GetAssemblies()
                .Where(a => !a.IsDynamic && References(a, typeof(ArchModule).Assembly) && !VariantCompiler.Compiled(a)).ToArray();
        return from.SelectMany(ArchFamilyInfo.InAssembly).ToList();
    }

    private static bool References(Assembly assembly, Assembly runtime) =>
        assembly.GetReferencedAssemblies().Any(r => r.Name == runtime.GetName().Name);
}
