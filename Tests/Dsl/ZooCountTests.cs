using System.Collections.Generic;
using System.IO;
using System.Linq;
using ArchDsl.Dsl.Analysis;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Diagnostics;
using ArchDsl.Dsl.Expressions;
using ArchDsl.Dsl.Model;
using ArchDsl.Tests.Support;
using Xunit;

namespace ArchDsl.Tests.Dsl;

/// <summary>The zoo's analytic counts against the official and published numbers.</summary>
public class ZooCountTests
{
    /// <summary>Every family file in the zoo.</summary>
    public static readonly string[] Families = Directory.GetFiles(Repository.Architectures, "*.arch.yaml")
        .Select(f => Path.GetFileName(f)[..^".arch.yaml".Length]).OrderBy(f => f, System.StringComparer.Ordinal).ToArray();

    private static FamilyAnalysis Analyze(string family, IReadOnlyDictionary<string, Value>? overrides = null) =>
        FamilyAnalysis.Run(File.ReadAllText(Repository.ArchitectureFile(family)), overrides, Repository.Libraries);

    // Exact counts of the official constructors (counted by instantiating
    // Tianfang-Zhang/CAS-ViT rcvit_* and apple/ml-cvnets MobileViTv2 at each width).
    [Theory]
    [InlineData("CasViT", "XS", 3_200_700)]
    [InlineData("CasViT", "S", 5_764_224)]
    [InlineData("CasViT", "M", 12_421_520)]
    [InlineData("CasViT", "T", 21_763_120)]
    [InlineData("MobileViTv2", "0.5", 1_370_593)]
    [InlineData("MobileViTv2", "0.75", 2_866_009)]
    [InlineData("MobileViTv2", "1.0", 4_901_841)]
    [InlineData("MobileViTv2", "1.25", 7_478_089)]
    [InlineData("MobileViTv2", "1.5", 10_594_753)]
    [InlineData("MobileViTv2", "1.75", 14_251_833)]
    [InlineData("MobileViTv2", "2.0", 18_449_329)]
    public void Analytic_parameters_equal_the_official_count(string family, string variant, long official) =>
        Assert.Equal(official, Analyze(family).Variant(variant).Parameters);

    // CAS-ViT without its distillation head, as main.py trains it.
    [Theory]
    [InlineData("XS", 2_979_700)]
    [InlineData("S", 5_507_224)]
    [InlineData("M", 12_036_520)]
    [InlineData("T", 21_250_120)]
    public void CasViT_without_the_distillation_head(string variant, long official)
    {
        var analysis = Analyze("CasViT", new Dictionary<string, Value> { ["distillation"] = Value.Of(false) });
        Assert.Equal(official, analysis.Variant(variant).Parameters);
    }

    // Published MACs (G, per image) under the convention each was counted with:
    // CAS-ViT: paper via iFormer Table 3, counter inferred (mmcv); MobileViTv2: timm's benchmark CSV (fvcore, 256)
    // and the MobileViTv2 paper's cvnets v0.2 numbers quoted by MatchViT Table 2 and the Vo thesis Table 3.2.
    [Theory]
    [InlineData("CasViT", "XS", "mmcv", 224, 0.56)]
    [InlineData("CasViT", "S", "mmcv", 224, 0.93)]
    [InlineData("CasViT", "M", "mmcv", 224, 1.89)]
    [InlineData("MobileViTv2", "0.5", "fvcore", 256, 0.48)]
    [InlineData("MobileViTv2", "0.75", "fvcore", 256, 1.05)]
    [InlineData("MobileViTv2", "1.0", "fvcore", 256, 1.84)]
    [InlineData("MobileViTv2", "1.25", "fvcore", 256, 2.86)]
    [InlineData("MobileViTv2", "1.5", "fvcore", 256, 4.09)]
    [InlineData("MobileViTv2", "1.75", "fvcore", 256, 5.54)]
    [InlineData("MobileViTv2", "2.0", "fvcore", 256, 7.22)]
    [InlineData("MobileViTv2", "0.5", "cvnets_v02", 256, 0.5)]
    [InlineData("MobileViTv2", "0.75", "cvnets_v02", 256, 1.0)]
    public void Analytic_macs_round_to_the_published_value(string family, string variant, string convention, int size, double publishedG)
    {
        var trace = Analyze(family).Variant(variant).At(size, size);
        double analyticG = trace.Macs(CountingConvention.Find(convention)!) / 1e9;
        int decimals = publishedG.ToString(System.Globalization.CultureInfo.InvariantCulture).Split('.').Last().Length;
        Assert.Equal(publishedG, System.Math.Round(analyticG, decimals), 6);
    }

    [Theory]
    [MemberData(nameof(FamilyNames))]
    public void Every_published_number_in_the_file_is_within_its_tolerance(string family)
    {
        var analysis = Analyze(family);
        var checks = analysis.Variants.SelectMany(v => v.Checks).ToList();
        Assert.NotEmpty(checks);
        // a number with a documented known_gap must be outside its tolerance (else the gap is stale); every other within it
        Assert.All(checks, c => Assert.True(c.WithinTolerance == (c.Published.KnownGap is null), c.Describe()));
        Assert.DoesNotContain(analysis.Diagnostics, d => d.Severity != Severity.Info);
    }

    [Theory]
    [MemberData(nameof(FamilyNames))]
    public void The_per_layer_breakdown_sums_to_the_total(string family)
    {
        foreach (var variant in Analyze(family).Variants)
        {
            var trace = variant.Trace;
            Assert.Equal(trace.Entries.Count, trace.Layers.Sum(l => l.EntryCount));
            Assert.Equal(trace.Parameters, trace.Layers.Sum(l => trace.EntriesOf(l).Sum(e => e.Params)));
            foreach (var convention in CountingConvention.All)
                Assert.Equal(trace.Macs(convention), trace.Layers.Sum(l => trace.EntriesOf(l).Sum(convention.Count)));
        }
    }

    [Fact]
    public void Published_macs_name_their_resolution_and_convention()
    {
        var macs = Families.SelectMany(f => Analyze(f).Variants).SelectMany(v => v.Spec.Published)
            .Where(p => p.Metric == PublishedMetric.Macs).ToList();
        Assert.NotEmpty(macs);
        Assert.All(macs, p => Assert.True(p.Resolution > 0 && p.Convention != null && p.Source.Length > 0));
    }

    [Fact]
    public void Generated_constants_equal_the_analysis()
    {
        Assert.Equal(3_200_700, ArchDsl.Architectures.CasViT.XS.Parameters);
        Assert.Equal(18_449_329, ArchDsl.Architectures.MobileViTv2.W200.Parameters);
        var spec = ArchDsl.Architectures.CasViT.XS.Spec;
        Assert.Equal(ArchDsl.Architectures.CasViT.XS.Macs.Mmcv, spec.Macs(CountingConvention.Mmcv));
        Assert.Equal(spec.Macs(CountingConvention.Macs), ArchDsl.Architectures.CasViT.XS.MacsAt(224, 224));
        Assert.Equal(new[] { "[B, 48, 56, 56]", "[B, 56, 28, 28]", "[B, 112, 14, 14]", "[B, 220, 7, 7]" },
            ArchDsl.Architectures.CasViT.XS.StageShapes.Select(s => s.Output.ToString()));
    }

    [Fact]
    public void Macs_at_another_resolution_follow_the_feature_map_sizes()
    {
        // at 448 every stage map has 4× the pixels of 224; only the 1×1 channel-attention convs and the
        // classifier do not scale: MACs(448) − 4·MACs(224) = −3 × (those fixed costs)
        var spec = Analyze("CasViT").Variant("XS");
        long at224 = spec.At(224, 224).Macs(CountingConvention.Macs), at448 = spec.At(448, 448).Macs(CountingConvention.Macs);
        long fixedCosts = spec.Trace.Entries.Where(e => e.Path.EndsWith(".1.block.1") || e.Path.EndsWith("head")).Sum(e => e.Macs);
        Assert.Equal(4 * at224 - 3 * fixedCosts, at448);
    }

    public static IEnumerable<object[]> FamilyNames() => Families.Select(f => new object[] { f });
}
