using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using ArchDsl.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace ArchDsl.Tests.Support;

/// <summary>Runs the ArchDsl generator in memory, as the compiler does, with step tracking on.</summary>
public static class GeneratorHarness
{
    public static GeneratorDriver CreateDriver(params AdditionalText[] files) =>
        CSharpGeneratorDriver.Create(
            new[] { new ArchGenerator().AsSourceGenerator() },
            additionalTexts: files,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>A compilation that references the runtime, so generated modules compile as in a real project.</summary>
    public static CSharpCompilation Compilation(params string[] sources) =>
        CSharpCompilation.Create("ArchDslGeneratorTest",
            sources.Select(s => CSharpSyntaxTree.ParseText(s, path: "Test.cs")),
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    public static GeneratorDriverRunResult Run(params AdditionalText[] files)
    {
        var driver = CreateDriver(files).RunGeneratorsAndUpdateCompilation(Compilation("class Unrelated { }"), out _, out _);
        return driver.GetRunResult();
    }

    public static InMemoryText File(string path, string text) => new InMemoryText(path, text);

    public static InMemoryText ZooFile(string family) =>
        new InMemoryText(Repository.ArchitectureFile(family), System.IO.File.ReadAllText(Repository.ArchitectureFile(family)));

    /// <summary>A family file as it would be in the zoo: with the zoo's block libraries beside it.</summary>
    public static InMemoryText[] WithZooLibraries(InMemoryText file) =>
        new[] { file }.Concat(Repository.Libraries.Select(l => new InMemoryText(Path.Combine(Repository.Architectures, l.Name), l.Text))).ToArray();

    /// <summary>A zoo family file with the zoo's block libraries, as the Architectures project passes them.</summary>
    public static InMemoryText[] ZooFiles(string family) => WithZooLibraries(ZooFile(family));

    private static readonly Lazy<IReadOnlyList<MetadataReference>> References = new(() =>
    {
        var platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var ours = new[] { typeof(ArchDsl.Runtime.Tensor).Assembly.Location, typeof(ArchDsl.Dsl.Analysis.FamilyAnalysis).Assembly.Location };
        return platform.Concat(ours).Distinct().Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToList();
    });
}

public sealed class InMemoryText : AdditionalText
{
    private readonly SourceText _text;

    public InMemoryText(string path, string text)
    {
        Path = path;
        _text = SourceText.From(text);
    }

    public override string Path { get; }

    public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
}
