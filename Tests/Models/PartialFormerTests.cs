using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ArchDsl.Architectures;
using ArchDsl.Dsl.Analysis;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Expressions;
using ArchDsl.Runtime;
using ArchDsl.Runtime.Blocks;
using ArchDsl.Tests.Support;
using Microsoft.CodeAnalysis;
using Xunit;

namespace ArchDsl.Tests.Models;

/// <summary>PartialFormer B0–B4 (Vo, PhD thesis, Univ. of Ulsan, 2023, chapter 5; ECCV 2024): counts against Table 5.1
/// and against the reading written out by hand, stage shapes and key names, forward passes, the stage-4 hazard of a
/// fixed N_F (no background token at 224²), the token split of partial attention against PyTorch, and the resolution
/// rule at generation time and at run time. No code is released, so there are no official keys or golden outputs.</summary>
public class PartialFormerTests
{
    private static VariantAnalysis Spec(string variant) => PartialFormer.Analysis.Variant(variant);

    // Table 5.1: C, L, #heads per variant.
    private static readonly Dictionary<string, (int Width, int[] Depths, int[] Heads)> s_table = new()
    {
        ["B0"] = (24, new[] { 2, 2, 6, 6 }, new[] { 2, 4, 8, 16 }),
        ["B1"] = (32, new[] { 2, 2, 6, 6 }, new[] { 2, 4, 8, 16 }),
        ["B2"] = (48, new[] { 2, 2, 8, 8 }, new[] { 3, 6, 12, 24 }),
        ["B3"] = (64, new[] { 2, 2, 8, 8 }, new[] { 4, 8, 16, 32 }),
        ["B4"] = (96, new[] { 2, 2, 8, 6 }, new[] { 6, 12, 24, 48 }),
    };

    /// <summary>
    /// The parameters and MACs (macs convention) of the file's reading, summed by hand rather than traced: stem
    /// 3×3/2 convs 3 → C/2 → C without bias, each with BatchNorm; 2×2/2 conv + LayerNorm between stages; per block a
    /// 3×3 depthwise CPE with bias, two LayerNorms, qkv d → 3d, Q_A, HeadMLP h → 4h → h, proj, ChannelMLP
    /// d → d/4 (LayerNorm) → d, MLP d → 4d → d; final LayerNorm; head 8C → 1280 → 1000. MACs count every
    /// convolution and linear layer and the attention products: per block on N tokens with N_F = min(64, N) foreground
    /// tokens (M = N_F + 1 with Q_A) and N_B = N − N_F background tokens, 9dN (CPE) + 3d²(N + 1) (qkv) + 2M²d (QKᵀ, AV)
    /// + 2·4h²M² (HeadMLP) + d²N_F (proj) + [N_B &gt; 0] (2N_B·d (SQA) + 2d²/4 (ChannelMLP)) + 8d²N (MLP).
    /// </summary>
    private static (long Parameters, long Macs) ByHand(int width, int[] depths, int[] heads, int size = 224, int foreground = 64)
    {
        const int e = 4, r = 4, hidden = 1280, classes = 1000;
        long p = 0, macs = 0;
        long half = width / 2, s = size / 2;
        p += 27 * half + 2 * half;
        macs += 27 * half * s * s;
        s /= 2;
        p += 9 * half * width + 2L * width;
        macs += 9 * half * width * s * s;
        for (int i = 0; i < 4; i++)
        {
            long d = (long)width << i, h = heads[i], dr = d / r;
            if (i > 0)
            {
                s /= 2;
                p += 4 * (d / 2) * d + d + 2 * d;
                macs += 4 * (d / 2) * d * s * s;
            }
            long n = s * s, fg = Math.Min(foreground, n), bg = n - fg, m = fg + 1;
            long block = 10 * d + 2 * d                                  // cpe, norm1
                + 3 * d * d + 3 * d + d                                    // qkv, Q_A
                + h * e * h + e * h + e * h * h + h                        // head_mlp
                + d * d + d                                                // proj
                + d * dr + dr + 2 * dr + dr * d + d                        // channel_mlp
                + 2 * d + 8 * d * d + 5 * d;                               // norm2, mlp
            long blockMacs = 9 * d * n + 3 * d * d * (n + 1) + 2 * m * m * d + 2 * e * h * h * m * m + d * d * fg
                + (bg > 0 ? 2 * bg * d + 2 * d * dr : 0) + 8 * d * d * n;
            p += depths[i] * block;
            macs += depths[i] * blockMacs;
        }
        long last = 8L * width;
        p += 2 * last + last * hidden + hidden + hidden * classes + classes;
        macs += last * hidden + hidden * classes;
        return (p, macs);
    }

    [Theory]
    [InlineData("B0")]
    [InlineData("B1")]
    [InlineData("B2")]
    [InlineData("B3")]
    [InlineData("B4")]
    public void Analytic_counts_equal_the_reading_summed_by_hand(string variant)
    {
        var (width, depths, heads) = s_table[variant];
        var (parameters, macs) = ByHand(width, depths, heads);
        Assert.Equal(parameters, Spec(variant).Parameters);
        Assert.Equal(macs, Spec(variant).Macs(CountingConvention.Macs));
    }

    // Table 5.1: #Params 5.3 / 8.2 / 21.1 / 36.1 / 64.5 M (tolerance 2 %: no released code), FLOPs 0.4 / 0.7 / 1.9 / 3.4 /
    // 6.8 G at 224², read as MACs with the attention matmuls (tolerance 5 %); N_F = 64 also reproduces each FLOPs figure
    // to its printed digit. Analytic: 5,221,852 / 8,141,716 / 21,069,218 / 36,182,304 / 64,362,140 parameters and
    // 0.419 / 0.700 / 1.932 / 3.413 / 6.831 G.
    [Theory]
    [InlineData("B0", 5.3, 0.4)]
    [InlineData("B1", 8.2, 0.7)]
    [InlineData("B2", 21.1, 1.9)]
    [InlineData("B3", 36.1, 3.4)]
    [InlineData("B4", 64.5, 6.8)]
    public void Analytic_counts_are_within_tolerance_of_table_5_1(string variant, double megaParams, double gigaMacs)
    {
        var spec = Spec(variant);
        double parameters = spec.Parameters / 1e6, macs = spec.Macs(CountingConvention.Macs) / 1e9;
        Assert.InRange(Math.Abs(parameters - megaParams) / megaParams, 0, 0.02);
        Assert.InRange(Math.Abs(macs - gigaMacs) / gigaMacs, 0, 0.05);
        Assert.Equal(gigaMacs, Math.Round(macs, 1));
        Assert.All(spec.Checks, c => Assert.True(c.WithinTolerance, c.Describe()));
        Assert.Equal(2, spec.Checks.Count);
    }

    // §5.3.4: strides 4, 8, 16, 32 (56², 28², 14², 7² at 224²); channels doubling {C, 2C, 4C, 8C} (the file's reading of
    // "doubled as {C, 2C, 3C, 4C}").
    [Theory]
    [InlineData("B0")]
    [InlineData("B2")]
    [InlineData("B4")]
    public void Stages_are_56_28_14_7_with_channels_doubling(string variant)
    {
        int c = s_table[variant].Width;
        var stages = Spec(variant).Trace.Stages.Select(st => st.Output.Dims.ToArray()).ToList();
        Assert.Equal(new[] { new[] { c, 56, 56 }, new[] { 2 * c, 28, 28 }, new[] { 4 * c, 14, 14 }, new[] { 8 * c, 7, 7 } }, stages);
    }

    // The names of the file (no official ones exist) and their shapes for B0's first block: d = 24, h = 2, e = 4, r = 4.
    [Fact]
    public void A_block_has_the_cpe_norms_partial_attention_and_mlp_keys()
    {
        using var model = new PartialFormer.B0();
        var keys = KeyLists.Of(model).Where(k => k.StartsWith("stages.0.blocks.0.", StringComparison.Ordinal))
            .Select(k => k["stages.0.blocks.0.".Length..]).ToList();
        Assert.Equal(new[]
        {
            "cpe.weight\tfloat32\t24x1x3x3", "cpe.bias\tfloat32\t24",
            "norm1.weight\tfloat32\t24", "norm1.bias\tfloat32\t24",
            "attn.abstract_token\tfloat32\t1x1x24",
            "attn.qkv.weight\tfloat32\t72x24", "attn.qkv.bias\tfloat32\t72",
            "attn.head_mlp.fc1.weight\tfloat32\t8x2", "attn.head_mlp.fc1.bias\tfloat32\t8",
            "attn.head_mlp.fc2.weight\tfloat32\t2x8", "attn.head_mlp.fc2.bias\tfloat32\t2",
            "attn.proj.weight\tfloat32\t24x24", "attn.proj.bias\tfloat32\t24",
            "attn.channel_mlp.fc1.weight\tfloat32\t6x24", "attn.channel_mlp.fc1.bias\tfloat32\t6",
            "attn.channel_mlp.norm.weight\tfloat32\t6", "attn.channel_mlp.norm.bias\tfloat32\t6",
            "attn.channel_mlp.fc2.weight\tfloat32\t24x6", "attn.channel_mlp.fc2.bias\tfloat32\t24",
            "norm2.weight\tfloat32\t24", "norm2.bias\tfloat32\t24",
            "mlp.fc1.weight\tfloat32\t96x24", "mlp.fc1.bias\tfloat32\t96",
            "mlp.fc2.weight\tfloat32\t24x96", "mlp.fc2.bias\tfloat32\t24",
        }, keys);
        var all = model.state_dict();
        Assert.Equal(new long[] { 12, 3, 3, 3 }, all["stem.0.weight"].shape);
        Assert.Equal(new long[] { 24, 12, 3, 3 }, all["stem.3.weight"].shape);
        Assert.Equal(new long[] { 48, 24, 2, 2 }, all["stages.1.downsample.proj.weight"].shape);
        Assert.Equal(new long[] { 1280, 192 }, all["head.0.weight"].shape);
        Assert.Equal(new long[] { 1000, 1280 }, all["head.2.weight"].shape);
    }

    // 224² is Table 5.1's size (stage 4 of 7×7 = 49 tokens ≤ N_F = 64: every token foreground); 288² = 9·32 is another size
    // the rule admits, where stage 4 has 9×9 = 81 tokens, 17 of them background. ImageNet logits: 1000 classes.
    [Theory]
    [InlineData("B0", 224, 2)]
    [InlineData("B0", 288, 1)]
    [InlineData("B1", 288, 1)]
    public void Forward_gives_finite_logits_at_multiples_of_32(string variant, int size, int batch)
    {
        using var model = PartialFormer.Create(variant);
        model.eval();
        using var scope = torch.NewDisposeScope();
        using var guard = torch.no_grad();
        var logits = model.call(torch.randn([batch, 3, size, size], seed: 5));
        Assert.Equal(new long[] { batch, 1000 }, logits.shape);
        Assert.All(logits.data<float>(), v => Assert.True(float.IsFinite(v), "a logit is not finite"));
        Assert.True(model.Analysis.At(size, size).Succeeded);
        Assert.Equal("H and W multiples of 32", model.Rule);
    }

    // At 224² stage 4 runs MMSA over its 49 tokens: no SQA, no ChannelMLP op under stages.3; stage 3 (196 tokens) runs
    // both. At 288² stage 4 has 81 tokens, 17 of them background, and runs them too.
    [Theory]
    [InlineData(224, false)]
    [InlineData(288, true)]
    public void Stage_4_runs_the_channel_mlp_only_when_it_has_background_tokens(int size, bool stage4Background)
    {
        using var model = new PartialFormer.B0();
        model.eval();
        using var input = torch.randn([1, 3, size, size], seed: 6);
        OpRecord[] records;
        using (torch.no_grad())
        using (var recorder = OpRecorder.Start(model))
        {
            model.call(input).Dispose();
            records = recorder.Records.ToArray();
        }
        bool Runs(string path) => records.Any(r => r.Path == path);
        Assert.True(Runs("stages.2.blocks.0.attn.channel_mlp.fc1"));
        Assert.Equal(stage4Background, Runs("stages.3.blocks.0.attn.channel_mlp.fc1"));
        Assert.Equal(stage4Background, Runs("stages.3.blocks.5.attn.channel_mlp.norm"));
        Assert.True(Runs("stages.3.blocks.0.attn.head_mlp.fc1"));
        // and the analysis says the same: its trace at each size is what the runtime ran (OpConformanceTests at 224²)
        Assert.Equal(stage4Background, model.Analysis.At(size, size).Entries.Any(e => e.Path == "stages.3.blocks.0.attn.channel_mlp.fc1" && e.Op == OpKind.Linear));
    }

    // The file states that stage 4 has no background at 224² (expect_background: false); without that, N_F = 64 ≥ N = 49
    // is ADSL018, a warning at the stage-4 row at the declared resolution, and the code is still generated.
    [Fact]
    public void Without_expect_background_false_stage_4_warns_ADSL018_at_its_row_and_still_generates()
    {
        string text = File.ReadAllText(Repository.ArchitectureFile("PartialFormer"));
        const string flag = ", expect_background: false }";
        Assert.Equal(1, CountOf(text, flag));
        text = text.Replace(flag, " }");
        var (line, column) = PositionOf(text, "{ into: stages.3.blocks, kind: partial_block");

        var result = GeneratorHarness.Run(GeneratorHarness.WithZooLibraries(GeneratorHarness.File("/test/PartialFormer.arch.yaml", text)));
        var diagnostic = Assert.Single(result.Diagnostics);   // one row, all five variants alike: reported once
        Assert.Equal("ADSL018", diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Warning, diagnostic.Severity);
        var position = diagnostic.Location.GetLineSpan();
        Assert.Equal("/test/PartialFormer.arch.yaml", position.Path);
        Assert.Equal((line, column), (position.StartLinePosition.Line, position.StartLinePosition.Character));
        Assert.Equal("at 224×224: stages.3.blocks.0.attn (partial_attention): 64 foreground tokens (N_F) cover all 49 tokens (7×7 "
            + "map): no background token, so it is MMSA over every token and single-query attention is skipped; declare "
            + "N_F < N, or expect_background: false where this is intended", diagnostic.GetMessage());
        Assert.Single(result.Results[0].GeneratedSources);
    }

    // Declaring 128² moves the hazard to stage 3 (8×8 = 64 tokens, N_F = N), which the file does not expect: the warning is
    // at the stage-3 row, at the declared 128×128.
    [Fact]
    public void A_smaller_declared_input_warns_at_the_stage_3_row()
    {
        string text = File.ReadAllText(Repository.ArchitectureFile("PartialFormer"));
        var analysis = FamilyAnalysis.Run(text, new Dictionary<string, Value> { ["image_size"] = Value.Of(128) });
        var warning = Assert.Single(analysis.Diagnostics, d => d.Id == "ADSL018");
        Assert.Equal(PositionOf(text, "{ into: stages.2.blocks, kind: partial_block"), (warning.Span.StartLine, warning.Span.StartColumn));
        Assert.StartsWith("at 128×128: stages.2.blocks.0.attn (partial_attention): 64 foreground tokens (N_F) cover all 64 tokens (8×8 map): no background token",
            warning.Message);
        Assert.False(analysis.HasErrors);
    }

    /// <summary>float32 of (((i + 3k)·5) mod 13 − 6) · 0.1 for i = 0..n−1: the k-th tensor of the test weights, as the
    /// PyTorch script below builds it.</summary>
    private static float[] Weights(long n, int k) =>
        Enumerable.Range(0, (int)n).Select(i => (float)((((i + 3 * k) * 5) % 13 - 6) * 0.1)).ToArray();

    // The split on a hand-made ranking stream whose token channel means are 0.1, 0.9, −0.5, 0.4, 0.7 (rows below): with
    // N_F = 2 the foreground is tokens 1 and 4, the background tokens 0, 2 and 3. The outputs are PyTorch 1.13's
    // (/usr/bin/python3) for the thesis's equations written independently of this runtime, with every tensor of the
    // state_dict (in order, k = 0, 1, …) set to Weights(numel, k):
    //
    //   def values(n, k): return torch.tensor([(((i + 3 * k) * 5) % 13 - 6) * 0.1 for i in range(n)])
    //   class PartialAttention(nn.Module):
    //       def __init__(s, d, h, nf, e, r):
    //           super().__init__(); s.h, s.nf = h, nf
    //           s.abstract_token = nn.Parameter(torch.zeros(1, 1, d)); s.qkv = nn.Linear(d, 3 * d)
    //           s.head_mlp = nn.ModuleDict(dict(fc1=nn.Linear(h, e * h), fc2=nn.Linear(e * h, h))); s.proj = nn.Linear(d, d)
    //           s.channel_mlp = nn.ModuleDict(dict(fc1=nn.Linear(d, d // r), norm=nn.LayerNorm(d // r), fc2=nn.Linear(d // r, d)))
    //       def forward(s, x, rank):
    //           B, N, d = x.shape; h = s.h; dh = d // h; nf = min(s.nf, N); nb = N - nf; m = nf + 1
    //           idx = rank.mean(-1).argsort(dim=-1, descending=True)[..., None].expand(B, N, d)   # Eq. 5.4
    //           g = x.gather(1, idx)
    //           q, k, v = s.qkv(torch.cat([s.abstract_token.expand(B, 1, d), g], 1)).reshape(B, N + 1, 3, h, dh).permute(2, 0, 3, 1, 4)
    //           a = (q[:, :, :m] @ k[:, :, :m].transpose(-2, -1)) / dh ** 0.5                      # Eq. 5.5
    //           a = s.head_mlp.fc2(s.head_mlp.fc1(a.permute(0, 2, 3, 1)).softmax(2)).permute(0, 3, 1, 2)
    //           o = a @ v[:, :, :m]; out = s.proj(o[:, :, 1:].transpose(1, 2).reshape(B, nf, d))
    //           if nb > 0:
    //               w = ((o[:, :, :1] @ k[:, :, m:].transpose(-2, -1)) / dh ** 0.5).softmax(-1)      # Eq. 5.6
    //               y = s.channel_mlp.fc2(s.channel_mlp.norm(s.channel_mlp.fc1((w @ v[:, :, m:]).transpose(1, 2).reshape(B, 1, d))).relu())
    //               out = torch.cat([out, g[:, nf:] + y], 1)                                         # Eq. 5.7
    //           return torch.empty_like(x).scatter(1, idx, out)
    //   x = torch.tensor([((i * 7) % 11 - 5) * 0.2 for i in range(20)]).reshape(1, 5, 4)
    //   rank = torch.tensor([[.1, .1, .1, .1], [.9, 1.1, .8, .8], [-.5, -.5, -.5, -.5], [.4, .2, .6, .4], [.7, .7, .9, .5]])[None]
    //   m = PartialAttention(4, 2, nf, 2, 2)   # nf = 2, then 5
    //   with torch.no_grad():
    //       for k, (name, p) in enumerate(m.state_dict().items()): p.copy_(values(p.numel(), k).reshape(p.shape))
    //       print(list(m.state_dict().keys()), m(x, rank).flatten().tolist())
    [Theory]
    [InlineData(2, new[] { -1.8999801f, 0.74000692f, 0.39997140f, 0.69999218f, 0.53018397f, -1.6123588f, 0.39191401f, -1.7506286f,
        -1.6999800f, 0.94000697f, 0.59997141f, -1.3000078f, -0.49998006f, -0.059993088f, 1.7999713f, -0.10000779f,
        0.53553092f, -1.6123281f, 0.39949596f, -1.7483630f })]
    [InlineData(5, new[] { 0.64642894f, -2.3888183f, 0.62001824f, -2.4152288f, 0.62807184f, -2.3832848f, 0.60478055f, -2.4065759f,
        0.64429706f, -2.3794467f, 0.62395251f, -2.3997912f, 0.62407601f, -2.3807147f, 0.60099649f, -2.4037938f,
        0.64309895f, -2.3809254f, 0.62320340f, -2.4008207f })]
    public void Partial_attention_separates_by_channel_mean_as_pytorch_does(int foreground, float[] expected)
    {
        using var attention = new PartialAttention(dim: 4, heads: 2, foreground: foreground, head_expansion: 2, channel_reduction: 2, qkv_bias: true);
        attention.eval();
        using var scope = torch.NewDisposeScope();
        var state = attention.state_dict();
        Assert.Equal(new[] { "abstract_token", "qkv.weight", "qkv.bias", "head_mlp.fc1.weight", "head_mlp.fc1.bias", "head_mlp.fc2.weight",
            "head_mlp.fc2.bias", "proj.weight", "proj.bias", "channel_mlp.fc1.weight", "channel_mlp.fc1.bias", "channel_mlp.norm.weight",
            "channel_mlp.norm.bias", "channel_mlp.fc2.weight", "channel_mlp.fc2.bias" }, state.Keys);
        attention.load_state_dict(state.Select((kv, k) => (kv.Key, Tensor: torch.tensor(Weights(kv.Value.numel(), k), kv.Value.shape)))
            .ToDictionary(p => p.Key, p => p.Tensor));
        var x = torch.tensor(Enumerable.Range(0, 20).Select(i => (float)(((i * 7) % 11 - 5) * 0.2)).ToArray(), [1, 5, 4]);
        var rank = torch.tensor(new[] { .1f, .1f, .1f, .1f, .9f, 1.1f, .8f, .8f, -.5f, -.5f, -.5f, -.5f, .4f, .2f, .6f, .4f, .7f, .7f, .9f, .5f }, [1, 5, 4]);
        using var guard = torch.no_grad();
        var y = attention.call((x, rank));
        ArchDsl.Tests.Runtime.Assertions.Close(expected, y, [1, 5, 4]);

        if (foreground == 2)
        {
            // Eq. 5.7 by hand: every background token (0, 2, 3: the three smallest means) moves by the same Y'_B, and the
            // foreground outputs (tokens 1, 4) do not depend on the background tokens' values, only on their ranking
            var moved = (y - x).data<float>();
            for (int token = 0; token < 5; token++)
            {
                bool same = Enumerable.Range(0, 4).All(c => Math.Abs(moved[token * 4 + c] - moved[c]) < 1e-6);
                Assert.Equal(token is 0 or 2 or 3, same);
            }
            var changed = x.clone();
            changed.narrow(1, 2, 1).fill_(3.0);   // token 2's values, not its rank (the ranking stream is unchanged)
            var z = attention.call((changed, rank)).data<float>();
            var before = y.data<float>();
            foreach (int token in new[] { 1, 4 })
                for (int c = 0; c < 4; c++)
                    Assert.Equal(before[token * 4 + c], z[token * 4 + c], 6);
        }
    }

    // 240 = 7.5 · 32: the stem gives 60×60 and the 2×2 stride-2 embeddings 30, 15, then 7 (dropping a row and column).
    [Fact]
    public void A_file_declaring_size_240_gets_ADSL009_at_the_require_row()
    {
        string text = File.ReadAllText(Repository.ArchitectureFile("PartialFormer"));
        Assert.Equal(1, CountOf(text, "image_size: 224 "));
        text = text.Replace("image_size: 224 ", "image_size: 240 ");
        var (line, column) = PositionOf(text, "{ kind: require_multiple, multiple: 32");

        var result = GeneratorHarness.Run(GeneratorHarness.WithZooLibraries(GeneratorHarness.File("/test/PartialFormer.arch.yaml", text)));
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("ADSL009", diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        var position = diagnostic.Location.GetLineSpan();
        Assert.Equal((line, column), (position.StartLinePosition.Line, position.StartLinePosition.Character));
        Assert.Contains("at 240×240", diagnostic.GetMessage());
        Assert.Contains("H and W must be multiples of 32 (the 2×2 stride-2 patch embeddings would drop the last row and column of odd maps), not 240×240",
            diagnostic.GetMessage());
        Assert.Empty(result.Results[0].GeneratedSources);
    }

    [Fact]
    public void A_240_input_is_rejected_at_run_time_with_the_rule()
    {
        using var model = new PartialFormer.B0();
        using var input = torch.zeros([1, 3, 240, 240]);
        var e = Assert.Throws<ShapeMismatchException>(() => model.call(input));
        Assert.StartsWith("PartialFormer.B0", e.Module);
        Assert.Equal("[B, 3, H, W] with H and W multiples of 32", e.Expected);
        Assert.StartsWith("[1, 3, 240, 240]", e.Actual);
    }

    private static int CountOf(string text, string part) => (text.Length - text.Replace(part, "").Length) / part.Length;

    /// <summary>0-based line and column of the first occurrence, as Roslyn's line spans give them.</summary>
    private static (int Line, int Column) PositionOf(string text, string anchor)
    {
        int offset = text.IndexOf(anchor, StringComparison.Ordinal);
        Assert.True(offset >= 0, $"'{anchor}' is not in the file");
        return (text[..offset].Count(c => c == '\n'), offset - (text.LastIndexOf('\n', offset - 1) + 1));
    }
}
