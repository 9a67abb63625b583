using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ArchDsl.Architectures;
using ArchDsl.Dsl.Costs;
using ArchDsl.Runtime;
using ArchDsl.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace ArchDsl.Tests.Models;

/// <summary>The generated modules against the architecture file's analysis and the official implementations.</summary>
public class ModelConformanceTests
{
    private readonly ITestOutputHelper _output;

    public ModelConformanceTests(ITestOutputHelper output) => _output = output;

    /// <summary>Every variant of every family in the zoo.</summary>
    public static IEnumerable<object[]> AllVariants() =>
        Zoo.Families.SelectMany(f => f.Variants.Select(v => new object[] { f.Name, v }));

    internal static ArchModule Create(string family, string variant) =>
        Zoo.Families.Single(f => f.Name == family).Create(variant);

    [Theory]
    [MemberData(nameof(AllVariants))]
    public void Runtime_parameters_equal_the_analytic_count_module_by_module(string family, string variant)
    {
        using var model = Create(family, variant);
        Assert.Equal(model.Analysis.Parameters, model.ParameterCount());

        // per module: the tracer's entries are keyed by the same paths as the runtime's parameters
        var analytic = model.Analysis.Trace.Entries.Where(e => e.Params > 0)
            .GroupBy(e => e.Path).ToDictionary(g => g.Key, g => g.Sum(e => e.Params));
        // a parameter of the model itself (LightViT's global_token) belongs to the module path ""
        var runtime = model.named_parameters()
            .GroupBy(p => p.name[..Math.Max(0, p.name.LastIndexOf('.'))]).ToDictionary(g => g.Key, g => g.Sum(p => p.parameter.numel()));
        Assert.Equal(analytic.OrderBy(kv => kv.Key), runtime.OrderBy(kv => kv.Key));
    }

    [Theory]
    [MemberData(nameof(AllVariants))]
    public void Measured_macs_equal_the_analytic_weights_convention(string family, string variant)
    {
        using var model = Create(family, variant);
        model.eval();
        var spec = model.Analysis;
        using var input = torch.randn([1, 3, spec.Trace.Height, spec.Trace.Width], seed: 1);
        long measured;
        using (var counter = MacCounter.Attach(model))
        using (torch.no_grad())
        {
            model.call(input).Dispose();
            measured = counter.Total;
        }
        Assert.Equal(spec.Macs(CountingConvention.Macs), measured);
    }

    [Theory]
    [InlineData("XS", "rcvit_xs")]
    [InlineData("S", "rcvit_s")]
    [InlineData("M", "rcvit_m")]
    [InlineData("T", "rcvit_t")]
    public void CasViT_state_dict_equals_the_official_keys_dtypes_and_shapes_in_order(string variant, string official)
    {
        using var model = CasViT.Create(variant);
        var actual = KeyLists.Of(model);
        var expected = KeyLists.Read(official);
        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData("W050", "mobilevitv2_050")]
    [InlineData("W100", "mobilevitv2_100")]
    public void MobileViTv2_state_dict_equals_the_cvnets_keys_in_order(string variant, string derived)
    {
        using var model = MobileViTv2.Create(variant);
        var actual = KeyLists.Of(model);
        var expected = KeyLists.Read("derived/" + derived);
        Assert.Equal(expected, actual);
    }

    [Theory]
    [MemberData(nameof(AllVariants))]
    public void ForwardFeatures_returns_every_stage_with_its_inferred_shape(string family, string variant)
    {
        using var model = Create(family, variant);
        model.eval();
        var trace = model.Analysis.Trace;
        using var scope = torch.NewDisposeScope();
        using var guard = torch.no_grad();
        var features = model.ForwardFeatures(torch.randn([2, trace.Variant.InChannels, trace.Height, trace.Width], seed: 5));
        Assert.Equal(trace.Stages.Select(s => s.Output.Form == ArchDsl.Dsl.Shapes.ShapeForm.Tokens
                ? new long[] { 2, s.Output.Channels, s.Output.Height, s.Output.Width }
                : s.Output.ToArray(2)),
            features.Select(f => f.shape));
    }

    [Fact]
    public void CasViT_golden_output_is_reproduced_within_1e_4()
    {
        using var model = new ArchDsl.Architectures.CasViT.TinyA();
        model.load_safetensors(Path.Combine(Repository.Golden, "casvit_tiny_a.weights.safetensors"));
        model.eval();
        var io = Safetensors.Load(Path.Combine(Repository.Golden, "casvit_tiny_a.io.safetensors"));
        using var scope = torch.NewDisposeScope();
        using var guard = torch.no_grad();
        var output = model.call(io["input"]);
        double maxDiff = (output - io["output"]).abs().max().item<float>();
        _output.WriteLine($"casvit_tiny_a: max |output − official| = {maxDiff:E2} over {output.numel()} logits");
        Assert.Equal(io["output"].shape, output.shape);
        Assert.True(maxDiff <= 1e-4, $"max abs difference {maxDiff}");
        foreach (var t in io.Values) t.Dispose();
    }
}
