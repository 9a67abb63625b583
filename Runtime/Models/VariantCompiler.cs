using System;
using System.Collections.Concurrent;
using System.IO;
using System.Linq;
using System.Runtime.Loader;
using ArchDsl.Dsl.Util;
using ArchDsl.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace ArchDsl.Runtime;

/// <summary>
/// A variant created with options (<see cref="ModelOptions"/>): the generator runs again, here, on the family's text
/// with the new values, and Roslyn compiles what it emits, once per family, variant and options.
/// </summary>
/// <remarks>
/// Why not parameterise the code emitted at build time? Options can change a network's structure, not only its
/// widths: <c>distillation: false</c> removes a head, <c>depths</c> adds blocks, a <c>when:</c> flips. Emitting again
/// covers every option with the same code path as the build (one definition of what a file means), at a cost paid
/// only by models created with options: Roslyn in the runtime's dependencies and a compilation (seconds) the first
/// time an option set is used in a process. Models without options are the classes compiled with the application.
/// </remarks>
internal static class VariantCompiler
{
    private const string AssemblyPrefix = "ArchDsl.WithOptions.";

    /// <summary>Whether <paramref name="assembly"/> is one compiled here (its family is the application's, again).</summary>
    public static bool Compiled(System.Reflection.Assembly assembly) =>
        assembly.GetName().Name!.StartsWith(AssemblyPrefix, StringComparison.Ordinal);

    private static readonly ConcurrentDictionary<string, Lazy<ArchFamilyInfo>> s_compiled = new(StringComparer.Ordinal);

    public static ArchModule Create(ArchFamilyInfo family, string variant, ModelOptions options)
    {
        var defaults = family.Analysis.Variant(variant);
        var analysis = family.Analysis.With(options.ToOverrides(defaults));
        var errors = analysis.Diagnostics.Where(d => d.Severity == Dsl.Diagnostics.Severity.Error).ToList();
        if (errors.Count > 0)
            throw new ArgumentException($"{defaults.FullName} with {options}: " + string.Join("; ", errors.Select(e => $"{e.Id}: {e.Message}")));
        string className = defaults.Spec.ClassName;
        var compiled = s_compiled.GetOrAdd($"{family.Name}.{className}({options})",
            _ => new Lazy<ArchFamilyInfo>(() => Compile(family, className, analysis))).Value;
        var model = compiled.Create(className);
        model.UseAnalysis(analysis.Variant(className));
        return model;
    }

    private static ArchFamilyInfo Compile(ArchFamilyInfo family, string className, Dsl.Analysis.FamilyAnalysis analysis)
    {
        var file = new ArchSourceFile(family.SourceFile, analysis.Text);
        var libraries = analysis.Libraries.Select(l => new ArchSourceFile(l.Name, l.Text)).ToEquatableArray();
        var built = FamilyModelBuilder.Build(file, "ArchDsl.WithOptions", libraries, analysis.Overrides);
        var model = built.Model ?? throw new InvalidOperationException(
            $"{family.Name}.{className}: " + string.Join("; ", built.Diagnostics.Select(d => $"{d.Id}: {d.Message}")));
        // only the variant asked for: a fraction of the family's code to compile
        string code = Emitter.Emit(model with { Variants = model.Variants.Where(v => v.ClassName == className).ToEquatableArray() });

        var compilation = CSharpCompilation.Create(
            $"{AssemblyPrefix}{family.Name}.{className}.{Guid.NewGuid():N}",
            new[] { CSharpSyntaxTree.ParseText(code, new CSharpParseOptions(LanguageVersion.Latest)) },
            References(),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release,
                nullableContextOptions: NullableContextOptions.Enable));
        using var image = new MemoryStream();
        var result = compilation.Emit(image);
        if (!result.Success)
            throw new InvalidOperationException($"{family.Name}.{className}: the code emitted for its options does not compile: "
                + string.Join("; ", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(5)));
        image.Position = 0;
        var assembly = AssemblyLoadContext.Default.LoadFromStream(image);
        return ArchFamilyInfo.InAssembly(assembly).Single();
    }

    /// <summary>The platform's assemblies and ArchDsl's, as the application runs with them.</summary>
    private static MetadataReference[] References() => s_references.Value;

    private static readonly Lazy<MetadataReference[]> s_references = new(() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Concat(new[] { typeof(ArchModule).Assembly.Location, typeof(Dsl.Analysis.FamilyAnalysis).Assembly.Location })
            .Where(path => path.Length > 0)
            .GroupBy(Path.GetFileName, StringComparer.Ordinal).Select(g => g.First())
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToArray());
}
