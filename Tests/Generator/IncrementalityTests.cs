using System.Collections.Generic;
using System.Linq;
using ArchDsl.Generator;
using ArchDsl.Tests.Support;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace ArchDsl.Tests.Generator;

/// <summary>The pipeline does no work that its inputs do not require (tracked steps, roslyn's IncrementalStepRunReason).</summary>
public class IncrementalityTests
{
    private static readonly string[] Steps =
        { ArchGenerator.SourceStep, ArchGenerator.AnalysisStep, ArchGenerator.EmitStep, ArchGenerator.DiagnosticsStep };

    [Fact]
    public void An_unrelated_csharp_edit_leaves_every_step_cached_or_unchanged()
    {
        var compilation = GeneratorHarness.Compilation("class Unrelated { }");
        var driver = GeneratorHarness.CreateDriver(GeneratorHarness.ZooFile("CasViT"), GeneratorHarness.ZooFile("MobileViTv2"))
            .RunGenerators(compilation);

        var edited = compilation.ReplaceSyntaxTree(compilation.SyntaxTrees.First(),
            CSharpSyntaxTree.ParseText("class Unrelated { int _field; }", path: "Test.cs"));
        var result = driver.RunGenerators(edited).GetRunResult().Results[0];

        foreach (var step in Steps)
        {
            var reasons = Reasons(result, step);
            Assert.NotEmpty(reasons);
            Assert.All(reasons, r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{step}: {r}"));
        }
    }

    [Fact]
    public void Editing_one_architecture_file_reruns_only_that_files_steps()
    {
        var casVit = GeneratorHarness.ZooFile("CasViT");
        var mobileViT = GeneratorHarness.ZooFile("MobileViTv2");
        var driver = GeneratorHarness.CreateDriver(casVit, mobileViT).RunGenerators(GeneratorHarness.Compilation("class Unrelated { }"));

        var editedText = mobileViT.GetText()!.ToString().Replace("depth: 4 }", "depth: 5 }");
        Assert.NotEqual(mobileViT.GetText()!.ToString(), editedText);
        var result = driver.ReplaceAdditionalText(mobileViT, GeneratorHarness.File(mobileViT.Path, editedText))
            .RunGenerators(GeneratorHarness.Compilation("class Unrelated { }")).GetRunResult().Results[0];

        foreach (var step in new[] { ArchGenerator.SourceStep, ArchGenerator.AnalysisStep, ArchGenerator.EmitStep })
        {
            var reasons = Reasons(result, step);
            Assert.Equal(1, reasons.Count(r => r == IncrementalStepRunReason.Modified));
            Assert.Equal(1, reasons.Count(r => r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged));
        }
        Assert.Contains("depth: 5", Assert.Single(result.GeneratedSources, s => s.HintName == "MobileViTv2.g.cs").SourceText.ToString());
    }

    [Fact]
    public void Pipeline_outputs_hold_no_symbols_syntax_or_locations()
    {
        var result = GeneratorHarness.CreateDriver(GeneratorHarness.ZooFile("CasViT"))
            .RunGenerators(GeneratorHarness.Compilation("class Unrelated { }")).GetRunResult().Results[0];
        foreach (var step in Steps)
            foreach (var run in result.TrackedSteps[step])
                foreach (var (value, _) in run.Outputs)
                    AssertPlainData(value, step, new HashSet<object>(ReferenceEqualityComparer.Instance), depth: 0);
    }

    private static List<IncrementalStepRunReason> Reasons(GeneratorRunResult result, string step) =>
        result.TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();

    /// <summary>Walks fields and items: a Roslyn symbol, syntax node, compilation or location would keep
    /// compilations alive and defeat caching.</summary>
    private static void AssertPlainData(object? value, string step, HashSet<object> seen, int depth)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || depth > 12 || !seen.Add(value)) return;
        Assert.False(value is ISymbol or SyntaxNode or Compilation or Location or SemanticModel,
            $"{step} holds a {value.GetType().Name}");
        if (value is System.Collections.IEnumerable items)
            foreach (var item in items) AssertPlainData(item, step, seen, depth + 1);
        foreach (var field in value.GetType().GetFields(System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic))
            AssertPlainData(field.GetValue(value), step, seen, depth + 1);
    }
}
