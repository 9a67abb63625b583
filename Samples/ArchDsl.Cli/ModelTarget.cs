using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using ArchDsl.Dsl.Analysis;
using ArchDsl.Runtime;

namespace ArchDsl.Cli;

/// <summary>What `summary` describes: a variant of the zoo, of the families of any assembly, or of an architecture file.</summary>
internal static class ModelTarget
{
    /// <summary>The variant named by <paramref name="name"/> ("Family.Variant", any case; a family alone means its first
    /// variant) or by the path of an architecture file (<paramref name="variant"/> or its first variant); null after
    /// reporting the user's mistake in one line (or the file's diagnostics, located).</summary>
    public static (VariantAnalysis Variant, string Source)? Find(string name, string? variant, string? assembly)
    {
        if (ArchitectureFiles.IsFamily(name) || File.Exists(name))
            return FromFile(name, variant);
        Assembly? loaded = null;
        if (assembly != null && !File.Exists(assembly)) return Fail($"{assembly}: no such assembly");
        if (assembly != null)
        {
            try { loaded = Assembly.LoadFrom(Path.GetFullPath(assembly)); }
            catch (Exception e) when (e is BadImageFormatException or FileLoadException)
            {
                return Fail($"{assembly}: not a .NET assembly with ArchDsl families ({e.Message})");
            }
        }
        if (Zoo.Model(variant is null ? name : $"{name}.{variant}", loaded) is not { } model) return null;
        return (model.Family.Analysis.Variant(model.Variant), model.Family.SourceFile);
    }

    private static (VariantAnalysis, string)? FromFile(string path, string? variant)
    {
        if (!File.Exists(path)) return Fail($"{path}: no such file");
        var analysis = FamilyAnalysis.Run(File.ReadAllText(path), libraries: ArchitectureFiles.Libraries(path, Array.Empty<string>()));
        foreach (var d in analysis.Diagnostics.Where(d => d.Severity == ArchDsl.Dsl.Diagnostics.Severity.Error))
            Console.Error.WriteLine($"{path}({d.Span.StartLine + 1},{d.Span.StartColumn + 1}): error {d.Id}: {d.Message}");
        if (analysis.HasErrors) return null;
        if (analysis.Variants.Count == 0) return Fail($"{path}: the family declares no variant");
        if (variant is null) return (analysis.Variants[0], path);
        var found = analysis.Variants.FirstOrDefault(v => string.Equals(v.Spec.ClassName, variant, StringComparison.OrdinalIgnoreCase)
                                                         || string.Equals(v.Name, variant, StringComparison.OrdinalIgnoreCase));
        return found is null
            ? Fail($"{path}: no variant '{variant}'{Suggest(variant, analysis.Variants.Select(v => v.Spec.ClassName).ToList())}")
            : (found, path);
    }

    private static (VariantAnalysis, string)? Fail(string message)
    {
        Errors.Report(message);
        return null;
    }

    /// <summary>"; did you mean …" with the names closest to <paramref name="name"/> (any case), or the list when short.</summary>
    private static string Suggest(string name, IReadOnlyList<string> known)
    {
        var near = ArchDsl.Dsl.Util.Suggest.Nearest(name, known, 3);
        return near.Count > 0 ? $"; did you mean {string.Join(", ", near)}?" : $"; known: {string.Join(", ", known)}";
    }
}
