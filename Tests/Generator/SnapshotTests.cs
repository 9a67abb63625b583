using System.Linq;
using ArchDsl.Tests.Support;
using Microsoft.CodeAnalysis;
using Xunit;

namespace ArchDsl.Tests.Generator;

/// <summary>The generated code of each zoo family, compared with the accepted snapshot, and compiled.</summary>
public class SnapshotTests
{
    public static System.Collections.Generic.IEnumerable<object[]> ZooFamilies() =>
        System.IO.Directory.GetFiles(Repository.Architectures, "*.arch.yaml")
            .Select(f => new object[] { System.IO.Path.GetFileName(f)[..^".arch.yaml".Length] })
            .OrderBy(f => (string)f[0], System.StringComparer.Ordinal);

    [Theory]
    [MemberData(nameof(ZooFamilies))]
    public void Generated_code_matches_the_snapshot(string family)
    {
        var result = GeneratorHarness.Run(GeneratorHarness.ZooFiles(family));
        Assert.Empty(result.Diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning));
        var source = Assert.Single(result.Results[0].GeneratedSources);
        Assert.Equal(family + ".g.cs", source.HintName);
        Snapshot.Verify(family, source.SourceText.ToString());
    }

    [Theory]
    [MemberData(nameof(ZooFamilies))]
    public void Generated_code_compiles_against_the_runtime(string family)
    {
        var driver = GeneratorHarness.CreateDriver(GeneratorHarness.ZooFiles(family));
        driver.RunGeneratorsAndUpdateCompilation(GeneratorHarness.Compilation("class Unrelated { }"), out var compilation, out _);
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors.Take(10)));
    }
}
