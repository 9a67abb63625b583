using System;
using System.IO;
using System.Linq;
using ArchDsl.Architectures;
using ArchDsl.Dsl.Analysis;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Diagnostics;
using ArchDsl.Runtime;
using ArchDsl.Runtime.Blocks;
using ArchDsl.Tests.Support;
using Xunit;

namespace ArchDsl.Tests.Models;

/// <summary>MobileViT v1 XXS/XS/S: counts against the cvnets module tree and the published MACs under the counter each
/// source used, the cvnets state_dict keys, and the block's forward semantics (unfold layout, attention layout,
/// fusion order, resizing at sizes the patches do not tile).</summary>
public class MobileViTTests
{
    private static VariantAnalysis Spec(string variant) => MobileViT.Analysis.Variant(variant);

    // Exact counts of the cvnets module tree (apple/ml-cvnets config/mobilevit.py, modes xx_small / x_small / small),
    // measured by instantiating a re-implementation of it;
    // the paper and the cvnets zoo print 1.3M / 2.3M / 5.6M.
    [Theory]
    [InlineData("XXS", 1_272_024)]
    [InlineData("XS", 2_317_848)]
    [InlineData("S", 5_578_632)]
    public void Analytic_and_runtime_parameters_equal_the_cvnets_count(string variant, long official)
    {
        Assert.Equal(official, Spec(variant).Parameters);
        using var model = MobileViT.Create(variant);
        Assert.Equal(official, model.ParameterCount());
    }

    [Fact]
    public void XS_state_dict_equals_the_derived_cvnets_keys_dtypes_and_shapes_in_order()
    {
        using var model = new MobileViT.XS();
        var actual = KeyLists.Of(model);
        var expected = KeyLists.Read("derived/mobilevit_xs");
        Assert.Equal(311, expected.Count);
        Assert.Equal(expected, actual);
    }

    // cvnets' profile_model rules (v0.2 era, @7be93d3) applied to the re-implemented module tree, in M
    // (measured). At 224 layer_5 is 7×7: its encoders run on the 8×8 resized map,
    // its convolutions at 7×7. ml-cvnets#68 reports 1028.243 M for XS on the 2023 code (0.1 M apart, unexplained).
    [Theory]
    [InlineData("XXS", 256, 408.985)]
    [InlineData("XS", 256, 1028.343)]
    [InlineData("S", 256, 2004.596)]
    [InlineData("XXS", 224, 302.767)]
    [InlineData("XS", 224, 774.247)]
    [InlineData("S", 224, 1524.465)]
    public void Cvnets_v02_macs_equal_the_cvnets_profiler(string variant, int size, double mega) =>
        Assert.Equal(mega, Math.Round(Spec(variant).At(size, size).Macs(CountingConvention.CvnetsV02) / 1e6, 3), 6);

    // fvcore FlopCountAnalysis on the re-implemented module tree in eval mode at 256;
    // timm's benchmark CSV prints mobilevit_s 2.03 G.
    [Theory]
    [InlineData("XXS", 0.4182)]
    [InlineData("XS", 1.0522)]
    [InlineData("S", 2.0334)]
    public void Fvcore_macs_equal_fvcore_on_the_module_tree(string variant, double giga) =>
        Assert.Equal(giga, Math.Round(Spec(variant).Macs(CountingConvention.Fvcore) / 1e9, 4), 6);

    // Published numbers, rounded as printed, under the counter and size that reproduce them (MobileViT.arch.yaml):
    // Vo thesis Table 3.2 (256), MatchViT Table 2, MobileViT paper Table 10 / LightViT Table 3 (224), timm CSV, XFormer Table 3.
    [Theory]
    [InlineData("XXS", "cvnets_v02", 256, 0.4)]
    [InlineData("XS", "cvnets_v02", 256, 1.0)]
    [InlineData("XS", "mmcv", 224, 0.7)]
    [InlineData("S", "fvcore", 256, 2.03)]
    [InlineData("S", "mmcv", 256, 1.9)]
    public void Published_macs_round_to_the_printed_value(string variant, string convention, int size, double printed)
    {
        double giga = Spec(variant).At(size, size).Macs(CountingConvention.Find(convention)!) / 1e9;
        int decimals = printed.ToString(System.Globalization.CultureInfo.InvariantCulture).Split('.').Last().Length;
        Assert.Equal(printed, Math.Round(giga, decimals), 6);
    }

    [Fact]
    public void The_two_quotes_of_S_no_counter_reproduces_are_documented_gaps()
    {
        // LightViT Table 3's 1.1 G at 224 and the Vo thesis's 4.0 G at 256 (see the file for the reasons)
        var gaps = Spec("S").Checks.Where(c => !c.WithinTolerance).ToList();
        Assert.Equal(new[] { "1.1G", "4.0G" }, gaps.Select(c => c.Published.Printed));
        Assert.All(gaps, c => Assert.NotNull(c.Published.KnownGap));
        Assert.Equal(2, MobileViT.Analysis.Diagnostics.Count(d => d.Id == DiagnosticId.KnownGap.Id));
        Assert.All(new[] { "XXS", "XS" }, v => Assert.All(Spec(v).Checks, c => Assert.True(c.WithinTolerance, c.Describe())));
    }

    [Fact]
    public void At_224_the_last_stage_is_resized_to_8x8_for_attention_and_measured_macs_equal_the_analytic_count()
    {
        using var model = new MobileViT.XS();
        model.eval();
        var spec = Spec("XS").At(224, 224);
        Assert.Equal("[B, 96, 7, 7]", spec.Stages[4].Output.ToString());
        using var scope = torch.NewDisposeScope();
        var input = torch.randn([1, 3, 224, 224], seed: 3);
        long measured;
        using (var counter = MacCounter.Attach(model))
        {
            var logits = model.call(input);
            Assert.Equal(new long[] { 1, 1000 }, logits.shape);
            measured = counter.Total;
        }
        // the attention products see N = 16 patches per pixel position (8×8 / 4), not the 12.25 of an unresized 7×7 map
        Assert.Equal(spec.Macs(CountingConvention.Macs), measured);
    }

    [Fact]
    public void Unfolding_groups_each_pixel_position_of_the_patches_like_cvnets_and_folding_inverts_it()
    {
        using var scope = torch.NewDisposeScope();
        // value = 1000·b + 100·c + 10·h + w, so every element names its position
        var values = new float[2 * 3 * 4 * 6];
        for (int b = 0; b < 2; b++)
            for (int c = 0; c < 3; c++)
                for (int h = 0; h < 4; h++)
                    for (int w = 0; w < 6; w++)
                        values[((b * 3 + c) * 4 + h) * 6 + w] = 1000 * b + 100 * c + 10 * h + w;
        var map = torch.tensor(values, [2, 3, 4, 6]);
        // the rows of cvnets.blocks.yaml's mobilevit_block
        using var unfold = new Rearrange("b d (h ph) (w pw) -> (b ph pw) (h w) d", ("ph", 2), ("pw", 2));
        using var fold = new Rearrange("(b ph pw) (h w) d -> b d (h ph) (w pw)", ("ph", 2), ("pw", 2));
        var patches = unfold.call(map);
        Assert.Equal(new long[] { 2 * 4, 6, 3 }, patches.shape);
        // cvnets: row b·P + (i·2 + j) holds pixel (i, j) of every patch; patches row-major (3 per row); channels last
        var data = patches.contiguous().data<float>();
        float At(long row, long n, long c) => data[(row * 6 + n) * 3 + c];
        Assert.Equal(1234f, At(1 * 4 + (1 * 2 + 0), 1 * 3 + 2, 2));   // b 1, (i, j) = (1, 0), patch (1, 2), c 2: pixel (3, 4)
        Assert.Equal(103f, At(0 * 4 + (0 * 2 + 1), 0 * 3 + 1, 1));    // b 0, (i, j) = (0, 1), patch (0, 1), c 1: pixel (0, 3)
        Assert.Equal(0, torch.max_abs_diff(map, fold.forward(patches, ("h", 2), ("w", 3))));
    }

    [Fact]
    public void Multi_head_attention_splits_qkv_features_as_q_k_v_then_heads()
    {
        using var scope = torch.NewDisposeScope();
        using var model = MobileViT.Create("XXS");
        model.eval();
        const int d = 64, heads = 4, hd = d / heads, n = 5;   // layer_3's attention width and heads in XXS
        var attention = (Module<Tensor, Tensor>)model.get_submodule("layer_3.1.global_rep.0.pre_norm_mha.1");
        var x = torch.randn([3, n, d], seed: 11);
        var actual = attention.call(x);

        // cvnets MultiHeadAttention: qkv.reshape(B, N, 3, heads, head_dim), so q of head h is features [h·hd, (h+1)·hd)
        var qkv = (Linear)attention.get_submodule("qkv_proj");
        var outProj = (Linear)attention.get_submodule("out_proj");
        var all = F.linear(x, qkv.weight, qkv.bias);
        var perHead = Enumerable.Range(0, heads).Select(h =>
        {
            var q = all.narrow(-1, 0 * d + h * hd, hd) * Math.Pow(hd, -0.5);
            var k = all.narrow(-1, 1 * d + h * hd, hd);
            var v = all.narrow(-1, 2 * d + h * hd, hd);
            return torch.matmul(torch.matmul(q, k.transpose(-2, -1)).softmax(-1), v);
        }).ToList();
        var expected = F.linear(torch.cat(perHead, -1), outProj.weight, outProj.bias);
        Assert.True(torch.max_abs_diff(expected, actual) < 1e-5);
    }

    [Fact]
    public void Fusion_reads_the_block_input_first_and_the_projection_second()
    {
        using var scope = torch.NewDisposeScope();
        using var model = MobileViT.Create("XXS");
        model.eval();
        var block = (Module<Tensor, Tensor>)model.get_submodule("layer_3.1");   // 48 channels in XXS
        var x = torch.randn([1, 48, 6, 6], seed: 7);
        // with the fusion weights of input channels 48..95 zeroed, the output must not depend on the projected branch,
        // which the concatenation cat(input, projection) puts there
        using var noGrad = torch.no_grad();   // writes into parameters
        ((Conv2d)block.get_submodule("fusion.block.conv")).weight.narrow(1, 48, 48).fill_(0.0);
        var before = block.call(x);
        ((Conv2d)block.get_submodule("local_rep.conv_1x1.block.conv")).weight.fill_(0.5);
        Assert.Equal(0, torch.max_abs_diff(before, block.call(x)));
    }

    [Fact]
    public void The_block_checks_its_input_channels_before_running()
    {
        using var model = MobileViT.Create("XXS");
        var block = (Module<Tensor, Tensor>)model.get_submodule("layer_3.1");
        using var x = torch.randn([1, 5, 6, 6], seed: 1);
        var e = Assert.Throws<ShapeMismatchException>(() => block.call(x));
        Assert.Equal("[B, 48, *, *]", e.Expected);
        Assert.Contains("layer_3.1", e.Module);
    }
}
