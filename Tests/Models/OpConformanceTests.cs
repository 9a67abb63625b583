using System.Collections.Generic;
using System.Linq;
using ArchDsl.Runtime;
using ArchDsl.Tests.Support;
using Xunit;

namespace ArchDsl.Tests.Models;

/// <summary>The generated forward pass of every zoo variant against the Dsl's trace of it, op by op and module path by
/// module path: the primitives' runtime modules, the inline expressions and the remaining C# kinds' modules run exactly
/// the operations, of exactly the sizes, that the shapes and costs were computed from.</summary>
public class OpConformanceTests
{
    /// <summary>The families generated into this test assembly (Models/Fixtures): the language tour, MatchViT's readings.</summary>
    private static readonly IReadOnlyList<ArchFamilyInfo> s_fixtures = ArchFamilyInfo.InAssembly(typeof(OpConformanceTests).Assembly);

    public static IEnumerable<object[]> FixtureVariants() => s_fixtures.SelectMany(f => f.Variants.Select(v => new object[] { f.Name, v }));

    [Theory]
    [MemberData(nameof(ModelConformanceTests.AllVariants), MemberType = typeof(ModelConformanceTests))]
    public void The_forward_pass_runs_the_traced_operations_module_by_module(string family, string variant)
    {
        using var model = ModelConformanceTests.Create(family, variant);
        RunsTheTracedOperations(model);
    }

    [Theory]
    [MemberData(nameof(FixtureVariants))]
    public void The_fixtures_run_the_traced_operations_module_by_module(string family, string variant)
    {
        using var model = s_fixtures.Single(f => f.Name == family).Create(variant);
        RunsTheTracedOperations(model);
    }

    private static void RunsTheTracedOperations(ArchModule model)
    {
        model.eval(InferenceOptimizations.None);  // the forward as written; InferencePlanTests compares the plan's outputs with it
        var trace = model.Analysis.Trace;
        const long batch = 2;
        using var input = torch.randn([batch, 3, trace.Height, trace.Width], seed: 3);
        OpRecord[] records;
        IReadOnlySet<string> called;
        using (torch.no_grad())
        using (var recorder = OpRecorder.Start(model))
        {
            model.call(input).Dispose();
            records = recorder.Records.ToArray();
            called = recorder.CalledModules;
        }
        var differences = OpConformance.Differences(OpConformance.FromTrace(trace.Entries, called), OpConformance.FromRecords(records, batch));
        Assert.True(differences.Count == 0, string.Join("\n", differences.Take(12)));
    }
}
