using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using ArchDsl.Dsl.Analysis;

namespace ArchDsl.Runtime;

/// <summary>Marks a generated family class, so tools can find every family of an assembly.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class ArchFamilyAttribute : Attribute { }

/// <summary>What a generated family offers: its architecture file's analysis, its variants and a factory.</summary>
public sealed class ArchFamilyInfo
{
    private readonly Func<FamilyAnalysis> _analysis;
    private readonly Func<string, ArchModule> _create;

    public ArchFamilyInfo(string name, string sourceFile, Func<FamilyAnalysis> analysis, IReadOnlyList<string> variants, Func<string, ArchModule> create)
    {
        Name = name;
        SourceFile = sourceFile;
        _analysis = analysis;
        Variants = variants;
        _create = create;
    }

    public string Name { get; }
    public string SourceFile { get; }
    public FamilyAnalysis Analysis => _analysis();

    /// <summary>Class names of the variants, in file order.</summary>
    public IReadOnlyList<string> Variants { get; }

    /// <summary>The variants of the zoo report: all but the configurations kept for tests (<c>zoo: false</c>).</summary>
    public IReadOnlyList<string> ZooVariants => _zoo ??= Analysis.Variants.Where(v => v.Spec.InZoo).Select(v => v.Spec.ClassName).ToList();
    private IReadOnlyList<string>? _zoo;

    public ArchModule Create(string variant) => _create(variant);

    /// <summary>Builds a variant with <paramref name="options"/> replacing the file's variable values (classes,
    /// distillation, depths, …); counts and shapes follow them (see <see cref="ModelOptions"/>).</summary>
    public ArchModule Create(string variant, ModelOptions? options) =>
        options is null || options.Count == 0 ? _create(variant) : VariantCompiler.Create(this, variant, options);

    /// <summary>Every family generated into <paramref name="assembly"/>, by name.</summary>
    public static IReadOnlyList<ArchFamilyInfo> InAssembly(Assembly assembly) =>
        assembly.GetTypes()
            .Where(t => t.GetCustomAttribute<ArchFamilyAttribute>() != null)
            .Select(t => (ArchFamilyInfo)t.GetProperty("Info", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!)
            .OrderBy(f => f.Name, StringComparer.Ordinal)
            .ToList();
}
