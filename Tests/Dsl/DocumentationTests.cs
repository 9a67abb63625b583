using System.IO;
using System.Linq;
using ArchDsl.Dsl.Blocks;
using ArchDsl.Dsl.Diagnostics;
using ArchDsl.Tests.Support;
using Xunit;

namespace ArchDsl.Tests.Dsl;

/// <summary>The README's reference tables against the code they describe, so that neither drifts alone.</summary>
public class DocumentationTests
{
    private static readonly string Readme = File.ReadAllText(Path.Combine(Repository.Root, "README.md"));

    [Fact]
    public void The_readme_lists_every_kind()
    {
        var missing = KindCatalogue.CSharpKinds.Select(k => k.Name).Where(name => !Readme.Contains($"`{name}`")).ToList();
        Assert.True(missing.Count == 0, "not in README.md: " + string.Join(", ", missing));
    }

    [Fact]
    public void The_readme_lists_every_standard_library_block()
    {
        var blocks = KindCatalogue.Builtin.All.OfType<BlockDefinition>().Select(b => b.Name).ToList();
        Assert.NotEmpty(blocks);
        var missing = blocks.Where(name => !Readme.Contains($"`{name}`")).ToList();
        Assert.True(missing.Count == 0, "not in README.md: " + string.Join(", ", missing));
    }

    [Fact]
    public void The_readme_lists_every_diagnostic()
    {
        var missing = DiagnosticId.All.Select(d => d.Id).Where(id => !Readme.Contains($"| {id} |")).ToList();
        Assert.True(missing.Count == 0, "not in README.md: " + string.Join(", ", missing));
    }
}
