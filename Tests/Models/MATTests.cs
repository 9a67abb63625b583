using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ArchDsl.Architectures;
using ArchDsl.Dsl.Analysis;
using ArchDsl.Dsl.Costs;
using ArchDsl.Runtime;
using ArchDsl.Tests.Support;
using Microsoft.CodeAnalysis;
using Xunit;

namespace ArchDsl.Tests.Models;

/// <summary>
/// MAT-1 … MAT-5 and the MAT-2 ablations of Tables 4.2 and 4.9 (Vo, PhD thesis, Univ. of Ulsan, 2023, Chapter 4): the
/// analytic counts against the thesis's tables and against the differences between its ablation rows, the stage
/// shapes and keys of the inferred design, the Bilinear PE starting from the reference grid, and the resolution rule
/// (the 7×7 windows of stages 3-4) at generation time and at run time. The thesis's "GFLOPs" are multiply-accumulates
/// including the attention products (its §5.3.3 Swin and PVT examples are exactly their MAC counts), so they are compared
/// with the <c>macs</c> convention.
/// </summary>
public class MATTests
{
    private static VariantAnalysis Spec(string variant) => MAT.Analysis.Variant(variant);

    private static long Macs(string variant) => Spec(variant).Macs(CountingConvention.Macs);

    // published: Table 4.3 (#params in M, GFLOPs at 224²); analytic: measured from Architectures/MAT.arch.yaml (the
    // inferred design its header describes), pinned so that any change to the design shows here
    [Theory]
    [InlineData("MAT1", 6.714, 0.389, 6_709_614, 378_452_576)]
    [InlineData("MAT2", 10.767, 0.666, 10_762_094, 652_058_752)]
    [InlineData("MAT3", 17.008, 1.042, 17_003_814, 1_027_967_312)]
    [InlineData("MAT4", 29.057, 1.933, 29_045_166, 1_906_567_616)]
    [InlineData("MAT5", 50.108, 3.156, 50_100_206, 3_135_550_720)]
    public void Parameters_are_within_0_1_percent_and_macs_within_5_percent_of_Table_4_3(string variant, double millions, double giga,
        long parameters, long macs)
    {
        Assert.Equal(parameters, Spec(variant).Parameters);
        Assert.Equal(macs, Macs(variant));
        Assert.InRange(parameters / (millions * 1e6) - 1, -0.001, 0.001);
        Assert.InRange(macs / (giga * 1e9) - 1, -0.05, 0.05);
    }

    // published: Table 4.2 (Models 1, 2, 4; Model 3 is MAT-2) and Table 4.9 (pure MLP, +Window Attn, 3×3 conv and Patch
    // Merging patch embeddings; '+MAT Attn' and 'Bilinear PE' are MAT-2); analytic: measured, as above
    [Theory]
    [InlineData("Model1", 10.874, 0.783, 10_876_782, 780_761_216)]
    [InlineData("Model2", 10.852, 0.707, 10_852_206, 697_362_560)]
    [InlineData("PureMLP", 5.699, 0.461, 5_699_438, 455_353_984)]
    [InlineData("WindowAttn", 7.802, 0.659, 7_796_846, 642_686_080)]
    [InlineData("Conv3x3PE", 11.107, 0.703, 11_103_464, 690_110_976)]
    [InlineData("PatchMerging", 10.892, 0.679, 10_888_872, 666_026_496)]
    public void The_ablation_rows_are_within_the_same_tolerances(string variant, double millions, double giga, long parameters, long macs)
    {
        Assert.Equal(parameters, Spec(variant).Parameters);
        Assert.Equal(macs, Macs(variant));
        Assert.InRange(parameters / (millions * 1e6) - 1, -0.001, 0.001);
        Assert.InRange(macs / (giga * 1e9) - 1, -0.05, 0.05);
    }

    // Table 4.2's Model 4 (9.767 M) is the one row no single block design meets: Model 3 − Model 4 = 1.000 M for six
    // stage-3 MAT blocks, where Table 4.9 needs 10·C² + ≈66·C per block (1.032 M here). The file says so (known_gap),
    // and the report prints it as a documented gap, not a pass.
    [Fact]
    public void Model_4_parameters_are_a_documented_gap_of_0_4_percent()
    {
        var spec = Spec("Model4");
        Assert.Equal(9_729_902, spec.Parameters);
        Assert.InRange(spec.Parameters / 9.767e6 - 1, -0.005, -0.003);
        var check = Assert.Single(spec.Spec.Published, p => p.Metric == ArchDsl.Dsl.Model.PublishedMetric.Params);
        Assert.Contains("cannot both hold", check.KnownGap);
        Assert.InRange(Macs("Model4") / 0.568e9 - 1, -0.05, 0.05);   // Table 4.2: 0.568 G, within 5% (−3.6%)
    }

    // What the ablation rows isolate, as differences of two published rows (each printed to 0.001, so a difference is
    // known to ±0.002) against the same differences of the analytic counts. Bounds: 0.006 M and 0.012 G.
    [Theory]
    // Table 4.9: a 3×3 conv patch embedding instead of the Bilinear PE (18·C² vs 2·C² + 9·C at C = 32, 64, 128)
    [InlineData("Conv3x3PE", "MAT2", 0.340, 0.037)]
    // Table 4.9: Swin's patch merging (LayerNorm(4C), 4C → 2C) instead of the Bilinear PE
    [InlineData("PatchMerging", "MAT2", 0.125, 0.013)]
    // Table 4.9: MAT attention instead of window attention in stages 3-4 (analytic 0.009 G: the fusion reuses the local
    // queries; a separate query projection of every image token would add 0.039 G more)
    [InlineData("MAT2", "WindowAttn", 2.965, 0.007)]
    // Table 4.9: window attention blocks instead of pure-MLP blocks in stages 3-4
    [InlineData("WindowAttn", "PureMLP", 2.103, 0.198)]
    // Table 4.2: MAT blocks in stage 1 (Model 1 − Model 2) and in stage 2 (Model 2 − Model 3 = MAT-2)
    [InlineData("Model1", "Model2", 0.022, 0.076)]
    [InlineData("Model2", "MAT2", 0.085, 0.041)]
    public void Differences_between_ablation_rows_match_the_published_differences(string with, string without, double millions, double giga)
    {
        double parameters = (Spec(with).Parameters - Spec(without).Parameters) / 1e6;
        double macs = (Macs(with) - Macs(without)) / 1e9;
        Assert.InRange(parameters, millions - 0.006, millions + 0.006);
        Assert.InRange(macs, giga - 0.012, giga + 0.012);
    }

    // Table 4.2: the fewer stages with MAT blocks, the fewer parameters and MACs (Model 1 > 2 > 3 > 4 in both columns)
    [Fact]
    public void Moving_MAT_blocks_to_later_stages_lowers_parameters_and_macs_as_in_Table_4_2()
    {
        var models = new[] { "Model1", "Model2", "MAT2", "Model4" };
        var parameters = models.Select(m => Spec(m).Parameters).ToList();
        var macs = models.Select(Macs).ToList();
        Assert.Equal(parameters.OrderByDescending(p => p), parameters);
        Assert.Equal(macs.OrderByDescending(m => m), macs);
        Assert.Equal(4, parameters.Distinct().Count());
    }

    // Table 4.12's Out column: 56², 28², 14², 7² at 224²; widths #dim · 1, 2, 4, 8 (Table 4.3: 32 for MAT-2)
    [Fact]
    public void Forward_features_at_224_are_the_four_stage_maps_of_Table_4_12()
    {
        using var model = new MAT.MAT2();
        model.eval();
        using var scope = torch.NewDisposeScope();
        using var guard = torch.no_grad();
        var features = model.ForwardFeatures(torch.randn([2, 3, 224, 224], seed: 3));
        Assert.Equal(new[] { new long[] { 2, 32, 56, 56 }, new long[] { 2, 64, 28, 28 }, new long[] { 2, 128, 14, 14 }, new long[] { 2, 256, 7, 7 } },
            features.Select(f => f.shape));
    }

    // 224 is the thesis's ImageNet size (Table 4.10); 448 = 2 · 224 gives 28² and 14² maps in stages 3-4, tiled by the
    // 7×7 windows (16 and 4 abstract tokens mixed per image). 1000 ImageNet classes.
    [Theory]
    [InlineData(224, 2)]
    [InlineData(448, 1)]
    public void Forward_runs_at_224_and_448(int size, int batch)
    {
        using var model = new MAT.MAT2();
        model.eval();
        using var scope = torch.NewDisposeScope();
        using var guard = torch.no_grad();
        var logits = model.call(torch.randn([batch, 3, size, size], seed: 4));
        Assert.Equal(new long[] { batch, 1000 }, logits.shape);
        Assert.True(model.Analysis.At(size, size).Succeeded);
        Assert.True(float.IsFinite(logits.abs().sum().item<float>()));
    }

    // The keys of one MAT block and one Bilinear PE of MAT-2 (C = 128 in stage 3, h = 8), as this file names them:
    // measured from the model, in state_dict order
    [Fact]
    public void A_MAT_block_and_a_Bilinear_PE_have_these_keys()
    {
        using var model = new MAT.MAT2();
        var keys = KeyLists.Of(model);
        Assert.Equal(new[]
        {
            // the block's own tensors first, as PyTorch orders a module's parameters before its children's
            "stages.2.blocks.0.layer_scale_1\tfloat32\t128x1x1",
            "stages.2.blocks.0.layer_scale_2\tfloat32\t128x1x1",
            "stages.2.blocks.0.cpe.weight\tfloat32\t128x1x7x7",
            "stages.2.blocks.0.cpe.bias\tfloat32\t128",
            "stages.2.blocks.0.norm1.weight\tfloat32\t128",
            "stages.2.blocks.0.norm1.bias\tfloat32\t128",
            "stages.2.blocks.0.attn.abstract_token\tfloat32\t1x1x128",
            "stages.2.blocks.0.attn.local_qkv.weight\tfloat32\t384x128",
            "stages.2.blocks.0.attn.local_qkv.bias\tfloat32\t384",
            "stages.2.blocks.0.attn.mix_qkv.weight\tfloat32\t384x128",
            "stages.2.blocks.0.attn.mix_qkv.bias\tfloat32\t384",
            "stages.2.blocks.0.attn.mix_proj.weight\tfloat32\t128x128",
            "stages.2.blocks.0.attn.mix_proj.bias\tfloat32\t128",
            "stages.2.blocks.0.attn.fuse_kv.weight\tfloat32\t256x128",
            "stages.2.blocks.0.attn.fuse_kv.bias\tfloat32\t256",
            "stages.2.blocks.0.attn.proj.weight\tfloat32\t128x128",
            "stages.2.blocks.0.attn.proj.bias\tfloat32\t128",
            "stages.2.blocks.0.norm2.weight\tfloat32\t128",
            "stages.2.blocks.0.norm2.bias\tfloat32\t128",
            "stages.2.blocks.0.mlp.fc1.weight\tfloat32\t512x128x1x1",
            "stages.2.blocks.0.mlp.fc1.bias\tfloat32\t512",
            "stages.2.blocks.0.mlp.fc2.weight\tfloat32\t128x512x1x1",
            "stages.2.blocks.0.mlp.fc2.bias\tfloat32\t128",
        }, keys.Where(k => k.StartsWith("stages.2.blocks.0.", StringComparison.Ordinal)));
        Assert.Equal(new[]
        {
            "stages.2.downsample.dw.weight\tfloat32\t64x1x3x3",
            "stages.2.downsample.dw.bias\tfloat32\t64",
            "stages.2.downsample.proj.weight\tfloat32\t128x64x1x1",
            "stages.2.downsample.proj.bias\tfloat32\t128",
            "stages.2.downsample.offset.weight\tfloat32\t2x64x1x1",
            "stages.2.downsample.offset.bias\tfloat32\t2",
            "stages.2.downsample.norm.weight\tfloat32\t128",
            "stages.2.downsample.norm.bias\tfloat32\t128",
            "stages.2.downsample.norm.running_mean\tfloat32\t128",
            "stages.2.downsample.norm.running_var\tfloat32\t128",
            "stages.2.downsample.norm.num_batches_tracked\tint64\tscalar",
        }, keys.Where(k => k.StartsWith("stages.2.downsample.", StringComparison.Ordinal)));
        // a pure-MLP block of stage 1 (Table 4.12: [MLP, exp=4]) has no positional conv, norm1 or attention
        Assert.Equal(new[] { "layer_scale_2", "norm2.weight", "norm2.bias", "mlp.fc1.weight", "mlp.fc1.bias", "mlp.fc2.weight", "mlp.fc2.bias" },
            keys.Where(k => k.StartsWith("stages.0.blocks.0.", StringComparison.Ordinal)).Select(k => k.Split('\t')[0]["stages.0.blocks.0.".Length..]));
    }

    // The offset predictor starts at zero, so a fresh Bilinear PE samples its reference grid: it is exactly the plain
    // strided embedding norm(proj(dw(x))) (Fig. 4.3's reference points P before any offset is learned)
    [Fact]
    public void A_fresh_Bilinear_PE_samples_the_reference_grid()
    {
        using var model = new MAT.MAT2();
        model.eval();
        var modules = model.named_modules().ToDictionary(m => m.name, m => m.module);
        var pe = (Module<Tensor, Tensor>)modules["stages.1.downsample"];
        var dw = (Conv2d)modules["stages.1.downsample.dw"];
        var proj = (Conv2d)modules["stages.1.downsample.proj"];
        var norm = (Module<Tensor, Tensor>)modules["stages.1.downsample.norm"];
        var offset = (Conv2d)modules["stages.1.downsample.offset"];
        using var scope = torch.NewDisposeScope();
        using var guard = torch.no_grad();
        Assert.Equal(0.0, offset.weight.abs().sum().item<float>());
        Assert.Equal(0.0, offset.bias!.abs().sum().item<float>());
        var x = torch.randn([2, 32, 56, 56], seed: 6);          // MAT-2's stage-1 output at 224² (Table 4.12: 56², #dim 32)
        var y = pe.call(x);
        Assert.Equal(new long[] { 2, 64, 28, 28 }, y.shape);                  // stage 2: 28², 2 · #dim (Table 4.12)
        Assert.True(torch.max_abs_diff(norm.call(proj.call(dw.call(x))), y) < 1e-5);
    }

    // MAT attention against an independent formulation of eqs. 4.1–4.5 in PyTorch 1.13 (window by window, head by head:
    // the abstract token prepended to each window's row-major tokens, local MHSA, MHSA of the N_w abstract outputs and
    // mix_proj, fuse_kv of the mixed tokens, each image token's local query over them, proj of local + fusion):
    //   values = lambda n, mul, mod, off, scale: torch.tensor([((i*mul) % mod - off) * scale for i in range(n)])
    //   parameters in state_dict order k = 0..10 (abstract_token, local_qkv.weight, .bias, mix_qkv…, mix_proj…,
    //   fuse_kv…, proj…) = values(numel, 7 + 2k, 23, 11, 0.05); x = values(32, 5, 17, 8, 0.1).reshape(1, 4, 2, 4)
    //   y = mat_attention(x, P, heads=2, ws=2)   # two 2×2 windows
    [Fact]
    public void MatAttention_computes_eqs_4_1_to_4_5_as_a_window_by_window_reference_does()
    {
        static float[] Values(int n, int mul, int mod, int offset, double scale) =>
            Enumerable.Range(0, n).Select(i => (float)(((i * mul) % mod - offset) * scale)).ToArray();
        using var attention = new ArchDsl.Runtime.Blocks.MatAttention(4, 2, 2, abstract_tokens: true, bias: true);
        using var scope = torch.NewDisposeScope();
        using var guard = torch.no_grad();
        int k = 0;
        foreach (var (_, tensor) in attention.state_dict())
        {
            tensor.copy_(torch.tensor(Values((int)tensor.numel(), 7 + 2 * k, 23, 11, 0.05), tensor.shape));
            k++;
        }
        Assert.Equal(11, k);
        var x = torch.tensor(Values(32, 5, 17, 8, 0.1), [1, 4, 2, 4]);
        ArchDsl.Tests.Runtime.Assertions.Close(
        [
            0.008028f, 0.013341f, 0.112798f, 0.106494f, 0.007330f, 0.012603f, 0.101858f, 0.079147f,
            -0.400561f, -0.402274f, -0.411304f, -0.415405f, -0.399602f, -0.401355f, -0.416456f, -0.417801f,
            -0.809150f, -0.817889f, -0.935406f, -0.937304f, -0.806534f, -0.815313f, -0.934770f, -0.914749f,
            0.531955f, 0.536390f, 0.622285f, 0.616257f, 0.531463f, 0.535858f, 0.612069f, 0.592028f,
        ], attention.call(x), [1, 4, 2, 4], tolerance: 2e-6);
    }

    // 200 passes the stem (100, 50) and the Bilinear PEs (25, 13, 7), but 7×7 windows (Table 4.1) do not tile the 13×13
    // map of stage 3. A copy of the family file that declares 200 gets a located ADSL009 at the row of the stage-3
    // blocks, for every variant with MAT blocks there, and generates nothing.
    [Fact]
    public void A_file_declaring_size_200_gets_ADSL009_at_the_stage_3_blocks()
    {
        string text = File.ReadAllText(Repository.ArchitectureFile("MAT"));
        Assert.Contains("  image_size: 224\n", text);
        text = text.Replace("  image_size: 224\n", "  image_size: 200\n");
        const string anchor = "{ into: stages.2.blocks, kind: mat_block";
        int offset = text.IndexOf(anchor, StringComparison.Ordinal);
        int line = text[..offset].Count(c => c == '\n');
        int column = offset - (text.LastIndexOf('\n', offset - 1) + 1);

        var result = GeneratorHarness.Run(GeneratorHarness.WithZooLibraries(GeneratorHarness.File("/test/MAT.arch.yaml", text)));
        var errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.All(errors, d => Assert.Equal("ADSL009", d.Id));
        var stage3 = Assert.Single(errors, d => d.GetMessage().Contains("stages.2.blocks.0.attn"));
        var position = stage3.Location.GetLineSpan();
        Assert.Equal("/test/MAT.arch.yaml", position.Path);
        Assert.Equal((line, column), (position.StartLinePosition.Line, position.StartLinePosition.Character));
        Assert.Contains("MAT-2", stage3.GetMessage());
        Assert.Contains("at 200×200", stage3.GetMessage());
        Assert.Contains("7×7 windows do not tile the 13×13 feature map", stage3.GetMessage());
        Assert.Empty(result.Results[0].GeneratedSources);
    }

    // The rule the resolution scan derives: stages 3-4 must be multiples of 7 after four stride-2 convolutions with
    // padding 1 (⌈H/2⌉ each), i.e. H, W ∈ 209…224, 433…448, …; 200 and 256 are out, 224 and 448 in
    [Fact]
    public void The_resolution_rule_admits_224_and_448_and_rejects_200()
    {
        var spec = Spec("MAT2");
        Assert.True(spec.At(224, 224).Succeeded);
        Assert.True(spec.At(448, 448).Succeeded);
        Assert.True(spec.At(224, 448).Succeeded);
        Assert.False(spec.At(200, 200).Succeeded);
        Assert.False(spec.At(256, 256).Succeeded);
        Assert.StartsWith("H and W in {209, 210,", MAT.MAT2.ResolutionRule);
        // the pure-MLP model has no windows: any size
        Assert.Equal("any H and W", MAT.PureMLP.ResolutionRule);
    }
}

/// <summary>The run-time half of the resolution rule; reads the process-wide live-tensor count, so it runs alone.</summary>
[Collection(nameof(ProcessStateCollection))]
public class MATInputRuleTests
{
    [Fact]
    public void A_200_input_is_rejected_naming_model_stage_and_both_shapes_before_any_native_call()
    {
        using var model = new MAT.MAT2();
        using var input = torch.zeros([1, 3, 200, 200]);
        long before = Tensor.LiveCount;
        var e = Assert.Throws<ShapeMismatchException>(() => model.call(input));
        Assert.Equal(before, Tensor.LiveCount); // nothing reached libtorch
        Assert.StartsWith("MAT.MAT2 (stage3, stages.2.blocks.0.attn)", e.Module);
        Assert.StartsWith("[B, 3, H, W] with H and W in {209, 210,", e.Expected);
        Assert.StartsWith("[1, 3, 200, 200]", e.Actual);
        Assert.Contains("7×7 windows do not tile the 13×13 feature map", e.Actual);
    }

    // the module itself checks too (an input that does not come through the model's rule); sizes chosen for the rule:
    // 13 is no multiple of the 7×7 window, 14 and 21 are
    [Fact]
    public void MatAttention_rejects_a_map_its_windows_do_not_tile()
    {
        using var attention = new ArchDsl.Runtime.Blocks.MatAttention(16, 2, 7, abstract_tokens: true, bias: true);
        using var scope = torch.NewDisposeScope();
        var e = Assert.Throws<ShapeMismatchException>(() => attention.call(torch.zeros([1, 16, 13, 14])));
        Assert.Contains("7×7 windows do not tile the 13×14 feature map", e.Actual);
        Assert.Throws<ShapeMismatchException>(() => attention.call(torch.zeros([1, 8, 14, 14])));
        Assert.Equal(new long[] { 1, 16, 14, 21 }, attention.call(torch.zeros([1, 16, 14, 21])).shape);
    }
}
