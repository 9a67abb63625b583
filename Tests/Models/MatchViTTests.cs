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
/// MatchViT (no released code): the structural facts the paper states, the ablations of its Table 4 differing from the
/// full model by exactly the terms its definitions imply, its published numbers reported as documented gaps, and its
/// shape rules. "Table n" is the paper's; the terms of MaSSA and the context-gated FFN below are written out from its
/// equations.
/// </summary>
public class MatchViTTests
{
    private static readonly string[] Ablations = { "S_SSA", "S_MHSA", "S_NoCgFfn" };

    private static VariantAnalysis Spec(string variant) => MatchViT.Analysis.Variant(variant);

    /// <summary>The MaViT blocks of a variant: attention width d, hidden tokens k, encoders and tokens per image at 256.</summary>
    private static List<(int D, int K, int Depth, long Tokens)> Blocks(string variant, int size = 256) =>
        Spec(variant).At(size, size).Layers.Where(l => l.Node.Kind.Name == "mavit_block")
            .Select(l => (l.Node.Args.Int("attn_dim"), l.Node.Args.Int("hidden_tokens"), l.Node.Args.Int("depth"), l.Input.Pixels))
            .ToList();

    // Table 1: In Ch. 32α (stem), 64α/128α/256α/512α (stages) at Res. 32/16/8/4 for a 256 input; α = 0.75/1/1.5 (§3.4);
    // the classifier reads 512α features.
    [Theory]
    [InlineData("XXS", 0.75)]
    [InlineData("XS", 1.0)]
    [InlineData("S", 1.5)]
    public void Channels_scale_with_alpha_at_the_resolutions_of_table_1(string variant, double alpha)
    {
        var trace = Spec(variant).Trace;
        int A(int c) => (int)(c * alpha);
        Assert.Equal(new[] { $"[B, {A(64)}, 32, 32]", $"[B, {A(128)}, 16, 16]", $"[B, {A(256)}, 8, 8]", $"[B, {A(512)}, 4, 4]" },
            trace.Stages.Select(s => s.Output.ToString()));
        Assert.Equal(new[] { $"[B, {A(32)}, 128, 128]", $"[B, {A(32)}, 64, 64]" }, trace.Layers.Take(2).Select(l => l.Output.ToString()));
        Assert.Equal(A(512), trace.Layers.Single(l => l.Node.Kind.Name == "linear").Input.Channels);
    }

    // Table 1's Head column: k = 4, 8, 16, 32 hidden tokens, not scaled by α; Rep. 2, 3, 7, 3 (stage 3 read as 7).
    // At run time MaSSA's fused projection carries I (k), K and R (γd each) and V (d): k + 3d rows at γ = 1.
    [Theory]
    [InlineData("XXS")]
    [InlineData("XS")]
    [InlineData("S")]
    [InlineData("S_NoCgFfn")]
    public void Hidden_tokens_are_4_8_16_32_in_every_variant(string variant)
    {
        var blocks = Blocks(variant);
        Assert.Equal(new[] { 4, 8, 16, 32 }, blocks.Select(b => b.K));
        Assert.Equal(new[] { 2, 3, 7, 3 }, blocks.Select(b => b.Depth));

        using var model = MatchViT.Create(variant);
        var state = model.state_dict();
        for (int stage = 0; stage < 4; stage++)
        {
            var (d, k, _, _) = blocks[stage];
            var qkv = state[$"layer_{stage + 2}.1.global_rep.0.pre_norm_attn.1.qkv_proj.block.conv.weight"];
            Assert.Equal(new long[] { k + 3 * d, d, 1, 1 }, qkv.shape);
        }
    }

    // The reference's MaSSA parameter formula (d_v = width of V):
    //   dk + k + 2(γd·d + γd) + d·d_v + d_v + d_v·d + d
    // MatchViT-XS stage 1: C = 64α = 64, d = C/2 = 32, k = 4 (Table 1), γ = 1, d_v = d:
    //   32·4 + 4 + 2·(32·32 + 32) + 32·32 + 32 + 32·32 + 32 = 128 + 4 + 2112 + 1024 + 32 + 1024 + 32 = 4356.
    // Its context gate (Eq. 5: W_k ∈ R^{C,k} without bias, W_cv ∈ R^{γC,λC} with b_cv, λ = 2):
    //   d·k + γd·λd + λd = 128 + 32·64 + 64 = 2240.
    [Fact]
    public void Massa_and_context_gate_parameters_of_stage_1_follow_the_formulas()
    {
        var entries = MatchViT.XS.Spec.Trace.Entries;
        long Analytic(string prefix) => entries.Where(e => e.Path.StartsWith(prefix, StringComparison.Ordinal)).Sum(e => e.Params);
        using var model = new MatchViT.XS();
        long Runtime(string path) => model.get_submodule(path).parameters().Sum(p => p.numel());
        for (int encoder = 0; encoder < 2; encoder++)
        {
            string massa = $"layer_2.1.global_rep.{encoder}.pre_norm_attn.1";
            string ffn = $"layer_2.1.global_rep.{encoder}.pre_norm_ffn";
            Assert.Equal(4356, Analytic(massa + "."));
            Assert.Equal(4356, Runtime(massa));
            Assert.Equal(2240, Analytic(ffn + ".gate_in.") + Analytic(ffn + ".context_proj"));
            Assert.Equal(2240, Runtime(ffn + ".gate_in") + Runtime(ffn + ".context_proj"));
        }
    }

    // Table 4 replaces MaSSA by SSA or MHSA, or drops the context gate, in MatchViT-S and changes nothing else, so each
    // row differs from another by the attention or gate terms alone, per encoder of width d with k hidden tokens (heads)
    // over T tokens (parameters; MACs as conv + linear + matmul multiply-accumulates):
    //   MaSSA (the paper's, γ = 1):     4d² + dk + 4d + k        T·d(k + 3d) + 3·T·k·d + T·d²
    //   SSA (cvnets LinearSelfAttention): 3d² + 4d + 1             T·d(1 + 2d) + T·d²
    //   MHSA (qkv, QKᵀ, AV, out):         4d² + 4d                 T·3d² + 2·T²·d + T·d²
    //   context gate (Eq. 5, λd = 2d):    dk + 2d² + 2d            T·d·k + k·d·2d + T·k·2d
    [Fact]
    public void Ablations_differ_from_the_full_model_by_exactly_the_attention_and_gate_terms()
    {
        var blocks = Blocks("S");
        Assert.All(Ablations, a => Assert.Equal(blocks, Blocks(a)));
        long Sum(Func<long, long, long, long> perEncoder) => blocks.Sum(b => b.Depth * perEncoder(b.D, b.K, b.Tokens));

        long massaParams = Sum((d, k, _) => 4 * d * d + d * k + 4 * d + k);
        long ssaParams = Sum((d, _, _) => 3 * d * d + 4 * d + 1);
        long mhsaParams = Sum((d, _, _) => 4 * d * d + 4 * d);
        long gateParams = Sum((d, k, _) => d * k + 2 * d * d + 2 * d);
        long massaMacs = Sum((d, k, t) => t * d * (k + 3 * d) + 3 * t * k * d + t * d * d);
        long ssaMacs = Sum((d, _, t) => t * d * (1 + 2 * d) + t * d * d);
        long mhsaMacs = Sum((d, _, t) => t * 3 * d * d + 2 * t * t * d + t * d * d);
        long gateMacs = Sum((d, k, t) => t * d * k + k * d * 2 * d + t * k * 2 * d);

        long P(string v) => Spec(v).Parameters;
        long M(string v) => Spec(v).Macs(CountingConvention.Macs);
        Assert.Equal(gateParams, P("S") - P("S_NoCgFfn"));
        Assert.Equal(massaParams - ssaParams, P("S_NoCgFfn") - P("S_SSA"));
        Assert.Equal(massaParams - mhsaParams, P("S_NoCgFfn") - P("S_MHSA"));
        Assert.Equal(gateMacs, M("S") - M("S_NoCgFfn"));
        Assert.Equal(massaMacs - ssaMacs, M("S_NoCgFfn") - M("S_SSA"));
        Assert.Equal(mhsaMacs - massaMacs, M("S_MHSA") - M("S_NoCgFfn"));
    }

    // "MaSSA reduces the complexity from O(N²) to O(N) when k ≪ N" (§3.2): at 512 every map has 4× the tokens of 256,
    // so the attention of stage 1 costs 4× as much with MaSSA, while MHSA's QKᵀ and AV cost 16×.
    [Fact]
    public void Massa_macs_grow_linearly_with_tokens_and_mhsa_quadratically()
    {
        const string attention = "layer_2.1.global_rep.0.pre_norm_attn.1";
        long Macs(string variant, int size, bool matmulsOnly) => Spec(variant).At(size, size).Entries
            .Where(e => e.Path.StartsWith(attention, StringComparison.Ordinal) && (!matmulsOnly || e.Op == OpKind.Matmul))
            .Sum(CountingConvention.Macs.Count);

        Assert.Equal(4 * Macs("S", 256, false), Macs("S", 512, false));
        Assert.Equal(4 * Macs("S", 256, true), Macs("S", 512, true));
        Assert.Equal(16 * Macs("S_MHSA", 256, true), Macs("S_MHSA", 512, true));
        Assert.True(Macs("S_MHSA", 512, false) > 4 * Macs("S_MHSA", 256, false));
    }

    // Tables 2 and 4: six rows, each with parameters and MACs that no reading of the paper reproduces.
    [Fact]
    public void Every_published_number_is_a_known_gap_reported_as_information()
    {
        var analysis = MatchViT.Analysis;
        var checks = analysis.Variants.SelectMany(v => v.Checks).ToList();
        Assert.Equal(12, checks.Count);
        Assert.All(checks, c =>
        {
            Assert.False(c.WithinTolerance, c.Describe());
            Assert.False(string.IsNullOrWhiteSpace(c.Published.KnownGap));
        });
        Assert.Equal(12, analysis.Diagnostics.Count);
        Assert.All(analysis.Diagnostics, d => Assert.Equal(ArchDsl.Dsl.Diagnostics.Severity.Info, d.Severity));
        foreach (var check in checks)
            Assert.Single(analysis.Diagnostics, d => d.Id == "ADSL015" && d.Span == check.Published.Span
                && d.Message.Contains(check.Describe()) && d.Message.Contains("known gap: " + check.Published.KnownGap));

        // as the compiler reports them: information, located at each published number, and the code is generated
        var result = GeneratorHarness.Run(GeneratorHarness.ZooFiles("MatchViT"));
        Assert.Equal(12, result.Diagnostics.Length);
        Assert.All(result.Diagnostics, d =>
        {
            Assert.Equal("ADSL015", d.Id);
            Assert.Equal(DiagnosticSeverity.Info, d.Severity);
            Assert.EndsWith("MatchViT.arch.yaml", d.Location.GetLineSpan().Path);
        });
        Assert.Single(result.Results[0].GeneratedSources);
    }

    // The zoo report (archdsl zoo) marks each of them ≈ and prints the reason on its own line; none is an unexplained
    // mismatch, so the command succeeds. Runs the built command line tool (part of the solution build).
    [Fact]
    public void The_zoo_report_prints_every_gap_with_its_reason()
    {
        var (exitCode, lines, error) = Cli.Run("zoo", "--family", "MatchViT", "--no-forward");
        Assert.True(exitCode == 0, $"archdsl zoo exited with {exitCode}:\n{string.Join("\n", lines)}\n{error}");
        foreach (var variant in MatchViT.Analysis.Variants)
            foreach (var check in variant.Checks)
                Assert.Contains($"≈ {variant.FullName} {check.Published.Metric.ToString().ToLowerInvariant()}: {check.Published.KnownGap}", lines);
        Assert.DoesNotContain(lines, l => l.Contains("unexplained mismatch"));
    }

    // Table 1: every ↓ is a 3×3 stride-2 conv with padding 1, ceil(n/2): at 256 the stage maps are 32, 16, 8, 4
    // (Table 1's Res.); at 224 they are 28, 14, 7 and 4. Tokens are pixels, so any size fits; 1000 ImageNet classes.
    [Theory]
    [InlineData(256, new[] { 32, 16, 8, 4 })]
    [InlineData(224, new[] { 28, 14, 7, 4 })]
    public void Forward_gives_logits_and_the_four_stage_maps(int size, int[] maps)
    {
        using var model = new MatchViT.XXS();
        model.eval();
        using var scope = torch.NewDisposeScope();
        using var guard = torch.no_grad();
        var input = torch.randn([2, 3, size, size], seed: 7);
        Assert.Equal(new long[] { 2, 1000 }, model.call(input).shape);
        var channels = new long[] { 48, 96, 192, 384 };   // 64α … 512α at α = 0.75
        Assert.Equal(maps.Select((m, i) => new long[] { 2, channels[i], m, m }), model.ForwardFeatures(input).Select(f => f.shape));
        Assert.Equal("any H and W", model.Rule);
    }

    // With tokens = pixels the model takes any H, W ≥ 1; an empty image is the size it cannot take.
    [Fact]
    public void An_empty_input_is_rejected_naming_model_and_shapes_and_a_file_declaring_it_is_located()
    {
        using var model = new MatchViT.XS();
        using var input = torch.zeros([1, 3, 0, 256]);
        var e = Assert.Throws<ShapeMismatchException>(() => model.call(input));
        Assert.Equal("MatchViT.XS", e.Module);
        Assert.Equal("[B, 3, H, W] with 1 ≤ H, W ≤ 16384", e.Expected);
        Assert.Equal("[1, 3, 0, 256]", e.Actual);

        var diagnostic = ExpectAt("input: { channels: 3, size: 256 }", "input: { channels: 3, size: 0 }", "ADSL005", "0 }   # Table 1",
            "input height is 0, outside the allowed range [1, 16384]");
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
    }

    // Shape rules of the mavit_block (Architectures/MatchViT.blocks.yaml), each located at the family row that uses the
    // block with the reading that breaks it, with the numbers:
    // 2×2 unfolding (cvnets MobileViTv2) needs even maps: at 192 stage 4 is 3×3 (192 / 64);
    // the context gate needs MaSSA's context vectors; MHSA heads must divide d (S: d = 96/2 = 48 in stage 1);
    // SSA is cvnets' LinearSelfAttention, biased by construction;
    // V as printed (width d) times the N×γd matched context needs γ = 1 (XXS stage 1: d = 24, γd = 12);
    // γd must be a whole number of channels (XXS stage 1: 0.3 × 24).
    [Theory]
    [InlineData("patch: { value: 1,|patch: { value: 2,;size: 256 }|size: 192 }", "ADSL009",
        "{ into: layer_5, kind: mavit_block", "at 192×192: layer_5.1 (mavit_block, MatchViT.blocks.yaml): layer_5.1: H and W must be multiples of 2 (the patches of the unfolding must tile the map), not 3×3")]
    [InlineData("attention: \"'ssa'\"\n    context_gate: false|attention: \"'ssa'\"\n    context_gate: true", "ADSL010",
        "{ into: layer_2, kind: mavit_block", "layer_2.1: the context-gated FFN reads MaSSA's context vectors, but the attention is ssa or mhsa")]
    [InlineData("hidden_tokens: 4, depth: 2|hidden_tokens: 5, depth: 2", "ADSL008",
        "{ into: layer_2, kind: mavit_block", "layer_2.1: 5 MHSA heads do not divide the attention width 48")]
    [InlineData("    bias: { value: true,|    bias: { value: false,", "ADSL003",
        "{ into: layer_2, kind: mavit_block", "layer_2.1: ssa is cvnets' LinearSelfAttention, whose projections always have a bias")]
    [InlineData("gamma: { value: 1,|gamma: { value: 0.5,", "ADSL010",
        "{ into: layer_2, kind: mavit_block", "layer_2.1.global_rep.0.pre_norm_attn.1: MaSSA's matched context vectors are N×γd = N×12 but V is N×d = N×24")]
    [InlineData("gamma: { value: 1,|gamma: { value: 0.3,", "ADSL014",
        "{ into: layer_2, kind: mavit_block", "layer_2.1: the context vectors are γ·d = 0.3 × 24 = 7.2 wide, not a whole number of channels")]
    public void A_broken_reading_gets_a_located_diagnostic_naming_the_numbers(string edits, string id, string anchor, string message)
    {
        var parts = edits.Split(';').Select(e => e.Split('|')).ToList();
        var diagnostic = ExpectAt(parts[0][0], parts[0][1], id, anchor, message, parts.Skip(1).Select(p => (p[0], p[1])).ToArray());
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
    }

    /// <summary>Edits MatchViT.arch.yaml and expects a diagnostic with <paramref name="id"/> where <paramref name="anchor"/>
    /// first occurs in the edited text, whose message contains <paramref name="message"/>; no code is generated.</summary>
    private static Microsoft.CodeAnalysis.Diagnostic ExpectAt(string from, string to, string id, string anchor, string message,
        params (string From, string To)[] more)
    {
        string text = File.ReadAllText(Repository.ArchitectureFile("MatchViT"));
        foreach (var (f, t) in more.Prepend((from, to)))
        {
            Assert.Contains(f, text);
            text = text.Replace(f, t);
        }
        int offset = text.IndexOf(anchor, StringComparison.Ordinal);
        Assert.True(offset >= 0, $"anchor '{anchor}' is not in the edited file");
        int line = text[..offset].Count(c => c == '\n');
        int column = offset - (text.LastIndexOf('\n', offset - 1) + 1);

        var result = GeneratorHarness.Run(GeneratorHarness.WithZooLibraries(GeneratorHarness.File("/test/MatchViT.arch.yaml", text)));
        string all = string.Join("\n", result.Diagnostics);
        var diagnostic = result.Diagnostics.FirstOrDefault(d => d.Id == id && d.GetMessage().Contains(message));
        Assert.True(diagnostic != null, $"no {id} containing '{message}' in:\n{all}");
        var position = diagnostic!.Location.GetLineSpan();
        Assert.Equal("/test/MatchViT.arch.yaml", position.Path);
        Assert.True((line, column) == (position.StartLinePosition.Line, position.StartLinePosition.Character),
            $"expected {id} at {line + 1}:{column + 1}, got:\n{all}");
        Assert.Empty(result.Results[0].GeneratedSources);
        return diagnostic;
    }
}

/// <summary>The readings of MatchViT the zoo file does not choose (fixture Models/Fixtures/MatchViTReadings.arch.yaml):
/// their runtime paths against the analytic counts, and the resolution rule of 2×2 unfolding at run time.</summary>
public class MatchViTReadingsTests
{
    public static IEnumerable<object[]> Variants() => new[] { new object[] { "Unfolded" }, new object[] { "UnfoldedMhsa" } };

    private static ArchModule Create(string variant) => ArchDsl.Tests.MatchViTReadings.Create(variant);

    [Theory]
    [MemberData(nameof(Variants))]
    public void Runtime_parameters_and_measured_macs_equal_the_analytic_counts(string variant)
    {
        using var model = Create(variant);
        model.eval();
        var analytic = model.Analysis.Trace.Entries.Where(e => e.Params > 0)
            .GroupBy(e => e.Path).ToDictionary(g => g.Key, g => g.Sum(e => e.Params));
        var runtime = model.named_parameters()
            .GroupBy(p => p.name[..p.name.LastIndexOf('.')]).ToDictionary(g => g.Key, g => g.Sum(p => p.parameter.numel()));
        Assert.Equal(analytic.OrderBy(kv => kv.Key), runtime.OrderBy(kv => kv.Key));

        using var input = torch.randn([1, 3, 64, 64], seed: 2);
        long measured;
        using (var counter = MacCounter.Attach(model))
        using (torch.no_grad())
        {
            model.call(input).Dispose();
            measured = counter.Total;
        }
        Assert.Equal(model.Analysis.Macs(CountingConvention.Macs), measured);
    }

    // Two padded stride-2 convs take n to ceil(ceil(n/2)/2), which 2×2 patches tile when it is even: n mod 8 ∈ {5, 6, 7, 0}.
    // 64 → 32 → 16 is tiled; 36 → 18 → 9 is not.
    [Fact]
    public void Unfolding_accepts_even_maps_and_rejects_odd_ones_naming_model_block_and_shapes()
    {
        using var model = Create("Unfolded");
        model.eval();
        const string rule = "H and W in {5, 6, 7, 8, 13, 14, 15, 16, …}";
        Assert.Equal(rule, model.Rule);
        using var scope = torch.NewDisposeScope();
        using var guard = torch.no_grad();
        Assert.Equal(new long[] { 1, 10 }, model.call(torch.randn([1, 3, 64, 64], seed: 3)).shape);

        var e = Assert.Throws<ShapeMismatchException>(() => model.call(torch.zeros([1, 3, 36, 36])));
        Assert.Equal("MatchViTReadings.Unfolded (stage1, layer_1.1)", e.Module);
        Assert.Equal("[B, 3, H, W] with " + rule, e.Expected);
        Assert.StartsWith("[1, 3, 36, 36]", e.Actual);
        Assert.Contains("H and W must be multiples of 2 (the patches of the unfolding must tile the map), not 9×9", e.Actual);
    }
}
