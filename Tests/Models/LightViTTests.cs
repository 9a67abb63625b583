using System;
using System.IO;
using System.Linq;
using ArchDsl.Architectures;
using ArchDsl.Dsl.Analysis;
using ArchDsl.Dsl.Costs;
using ArchDsl.Runtime;
using ArchDsl.Tests.Support;
using Microsoft.CodeAnalysis;
using Xunit;
using Xunit.Abstractions;

namespace ArchDsl.Tests.Models;

/// <summary>LightViT T/S/B: counts against the official code and formula, official keys, golden parity, and the
/// resolution rule (H and W multiples of 224) at generation time and at run time.</summary>
public class LightViTTests
{
    private readonly ITestOutputHelper _output;

    public LightViTTests(ITestOutputHelper output) => _output = output;

    private static VariantAnalysis Spec(string variant) => LightViT.Analysis.Variant(variant);

    // Exact counts of the official constructors lightvit_tiny/small/base (measured by
    // instantiating hunto/image_classification_sota lib/models/lightvit.py); the paper prints 9.4M / 19.2M / 35.2M.
    [Theory]
    [InlineData("T", 9_377_698)]
    [InlineData("S", 19_200_248)]
    [InlineData("B", 35_195_653)]
    public void Analytic_parameters_equal_the_official_count(string variant, long official) =>
        Assert.Equal(official, Spec(variant).Parameters);

    // LightViT.flops() (official code) evaluated at 224: reference xformer-lightvit.md B4, a re-derivation of the
    // official formula; the paper prints 0.7 / 1.7 / 3.9 G (Table 3) and 0.73 G for T (Tables 5 and 6).
    [Theory]
    [InlineData("T", 0.7332)]
    [InlineData("S", 1.7430)]
    [InlineData("B", 3.9229)]
    public void Lightvit_official_macs_reproduce_the_official_formula(string variant, double giga) =>
        Assert.Equal(giga, Math.Round(Spec(variant).Macs(CountingConvention.LightViTOfficial) / 1e9, 4), 6);

    // True MACs at 224 per reference xformer-lightvit.md B4: 0.7725 / 1.8259 / 4.1078 G. B4 derives them from the
    // official formula by restoring the ws² factor of window attention and adding kv_global, so they keep the formula's
    // element-wise gating term (N·C per block). The macs convention counts weights and matmuls only (what hooks on
    // Conv2d/Linear and the matmul observer measure, ModelConformanceTests): 0.7722 / 1.8253 / 4.1068 G. With the gating
    // term added back it must give B4's numbers, and official = macs − the two under-counts + gating, term by term.
    [Theory]
    [InlineData("T", 0.7722, 0.7725)]
    [InlineData("S", 1.8253, 1.8259)]
    [InlineData("B", 4.1068, 4.1078)]
    public void Weight_macs_are_the_official_formula_with_its_under_counts_restored(string variant, double weightsGiga, double referenceGiga)
    {
        var trace = Spec(variant).Trace;
        string official = CountingConvention.LightViTOfficial.Name;
        long weights = trace.Macs(CountingConvention.Macs);
        long gating = trace.Entries.Where(e => e.Op == OpKind.Elementwise).Sum(e => e.OverrideFor(official) ?? 0);
        long windowShortfall = trace.Entries.Where(e => e.Op == OpKind.Matmul).Sum(e => e.Macs - (e.OverrideFor(official) ?? e.Macs));
        long kvGlobal = trace.Entries.Where(e => e.Path.EndsWith(".attn.kv_global")).Sum(e => e.Macs);

        Assert.Equal(weightsGiga, Math.Round(weights / 1e9, 4), 6);
        Assert.Equal(referenceGiga, Math.Round((weights + gating) / 1e9, 4), 6);
        Assert.Equal(trace.Macs(CountingConvention.LightViTOfficial), weights - windowShortfall - kvGlobal + gating);

        // the shortfall is exactly ws² − 1 of ws² per window product: 2 · H·W · C · 48 per block
        long expectedShortfall = trace.Layers.Where(l => l.Node.Kind.Name == "lightvit_block")
            .Sum(l => 2 * l.Input.Pixels * l.Input.Channels * (7 * 7 - 1));
        Assert.Equal(expectedShortfall, windowShortfall);
    }

    // Official state_dict: key, dtype and shape in module order, from instantiating the official code (Tests/Data/README.md).
    [Theory]
    [InlineData("T", "lightvit_tiny")]
    [InlineData("S", "lightvit_small")]
    [InlineData("B", "lightvit_base")]
    public void State_dict_equals_the_official_keys_dtypes_and_shapes_in_order(string variant, string official)
    {
        using var model = LightViT.Create(variant);
        var actual = KeyLists.Of(model);
        var expected = KeyLists.Read(official);
        Assert.Equal(expected, actual);
    }

    // The zoo report shows the official-formula MACs beside the weights count and says why they differ.
    [Fact]
    public void The_zoo_report_explains_why_the_official_flops_are_below_the_true_macs()
    {
        var (exitCode, lines, error) = Cli.Run("zoo", "--family", "LightViT", "--no-forward");
        Assert.True(exitCode == 0, error);
        Assert.Contains(lines, l => l.StartsWith("ℹ LightViT.T, S, B macs: LightViT.flops() counts window attention without its ws² = 49 factor"));
        Assert.Contains(lines, l => l.Contains("LightViT.T") && l.Contains("0.772G") && l.Contains("lightvit_official @224 → 0.733G ✓"));
    }

    // Golden case lightvit_tiny_a: the official code's logits for seeded weights and input (Tests/Data/golden/README.md).
    [Fact]
    public void Golden_output_is_reproduced_within_1e_4()
    {
        using var model = new ArchDsl.Architectures.LightViT.TinyA();
        model.load_safetensors(Path.Combine(Repository.Golden, "lightvit_tiny_a.weights.safetensors"));
        model.eval();
        var io = Safetensors.Load(Path.Combine(Repository.Golden, "lightvit_tiny_a.io.safetensors"));
        try
        {
            using var scope = torch.NewDisposeScope();
            using var guard = torch.no_grad();
            var output = model.call(io["input"]);
            double maxDiff = (output - io["output"]).abs().max().item<float>();
            _output.WriteLine($"lightvit_tiny_a: max |output − official| = {maxDiff:E2} over {output.numel()} logits");
            Assert.Equal(io["output"].shape, output.shape);
            Assert.True(maxDiff <= 1e-4, $"max abs difference {maxDiff}");
        }
        finally
        {
            foreach (var t in io.Values) t.Dispose();
        }
    }

    // 256 = 8 · 32 passes the stem, but 7×7 windows do not tile the 32×32 map of stage 1 (paper §3.1: S = 7).
    [Fact]
    public void A_file_declaring_size_256_gets_ADSL009_at_the_first_block_row()
    {
        string text = File.ReadAllText(Repository.ArchitectureFile("LightViT"));
        Assert.Contains("input: { channels: 3, size: 224 }", text);
        text = text.Replace("input: { channels: 3, size: 224 }", "input: { channels: 3, size: 256 }");
        const string anchor = "{ into: stages.0, kind: lightvit_block";
        int offset = text.IndexOf(anchor, StringComparison.Ordinal);
        int line = text[..offset].Count(c => c == '\n');
        int column = offset - (text.LastIndexOf('\n', offset - 1) + 1);

        var result = GeneratorHarness.Run(GeneratorHarness.File("/test/LightViT.arch.yaml", text));
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("ADSL009", diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        var position = diagnostic.Location.GetLineSpan();
        Assert.Equal("/test/LightViT.arch.yaml", position.Path);
        Assert.Equal((line, column), (position.StartLinePosition.Line, position.StartLinePosition.Character));
        Assert.Contains("at 256×256", diagnostic.GetMessage());
        Assert.Contains("7×7 windows do not tile the 32×32 feature map", diagnostic.GetMessage());
        Assert.Empty(result.Results[0].GeneratedSources);
    }

    // Table 1: C = 64, 128, 256 for T at strides 1/8, 1/16, 1/32, i.e. 28, 14, 7 at 224.
    [Fact]
    public void Forward_features_at_224_are_the_three_stage_maps()
    {
        using var model = new LightViT.T();
        model.eval();
        using var scope = torch.NewDisposeScope();
        using var guard = torch.no_grad();
        var features = model.ForwardFeatures(torch.randn([2, 3, 224, 224], seed: 3));
        Assert.Equal(new[] { new long[] { 2, 64, 28, 28 }, new long[] { 2, 128, 14, 14 }, new long[] { 2, 256, 7, 7 } },
            features.Select(f => f.shape));
        Assert.Equal(LightViT.T.ResolutionRule, model.Rule);
        Assert.Equal("H and W multiples of 224", model.Rule);
    }

    // 224 is the declared size (paper: all models at 224×224); 448 = 2·224 is the next size the rule admits:
    // 56×56, 28×28 and 14×14 maps, all tiled by 7×7 windows. ImageNet logits: 1000 classes.
    [Theory]
    [InlineData(224, 2)]
    [InlineData(448, 1)]
    public void Forward_runs_at_multiples_of_224(int size, int batch)
    {
        using var model = new LightViT.T();
        model.eval();
        using var scope = torch.NewDisposeScope();
        using var guard = torch.no_grad();
        var logits = model.call(torch.randn([batch, 3, size, size], seed: 4));
        Assert.Equal(new long[] { batch, 1000 }, logits.shape);
        Assert.True(model.Analysis.At(size, size).Succeeded);
    }
}

/// <summary>The run-time half of the resolution rule; reads the process-wide live-tensor count, so it runs alone.</summary>
[Collection(nameof(ProcessStateCollection))]
public class LightViTInputRuleTests
{
    [Fact]
    public void A_256_input_is_rejected_naming_model_stage_and_both_shapes_before_any_native_call()
    {
        using var model = new LightViT.T();
        using var input = torch.zeros([1, 3, 256, 256]);
        long before = Tensor.LiveCount;
        var e = Assert.Throws<ShapeMismatchException>(() => model.call(input));
        Assert.Equal(before, Tensor.LiveCount); // nothing reached libtorch
        Assert.StartsWith("LightViT.T (stage1, stages.0.0.attn)", e.Module);
        Assert.Equal("[B, 3, H, W] with H and W multiples of 224", e.Expected);
        Assert.StartsWith("[1, 3, 256, 256]", e.Actual);
        Assert.Contains("7×7 windows do not tile the 32×32 feature map", e.Actual);
    }
}
