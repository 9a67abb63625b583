using System.Collections.Generic;
using System.Linq;
using ArchDsl.Dsl.Blocks;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Shapes;
using ArchDsl.Runtime;
using ArchDsl.Tests.Support;
using Xunit;

namespace ArchDsl.Tests.Models;

/// <summary>
/// Every C# kind with a runtime module (the primitives and the papers' new operations) against its Dsl trace, op by op,
/// on parameter sets chosen to take every choice and flag of the kind at least once, on inputs that are not square
/// where the kind allows it. Kinds written as inline expressions are the generated code itself; the zoo's op-by-op
/// test (<see cref="OpConformanceTests"/>) and the language fixture cover them.
/// </summary>
public class KindConformanceTests
{
    private const string Tokens = "  - { kind: map_to_tokens }";
    private const string Vector = "  - { kind: mean_pool }";

    /// <summary>kind, arguments, rows that shape the input, input channels, input size.</summary>
    private static readonly (string Kind, string Args, string Prelude, int Channels, int Size)[] s_cases =
    {
        ("adaptive_avg_pool", "size: 1", "", 8, 7),
        ("adaptive_avg_pool", "size: 3", "", 6, 10),
        ("avg_pool", "kernel: 3, stride: 2, padding: 1", "", 4, 9),
        ("avg_pool", "kernel: 2, ceil_mode: true, count_include_pad: false", "", 4, 7),
        ("batchnorm", "", "", 8, 6),
        ("batchnorm", "eps: 0.001, momentum: 0.03", "", 3, 5),
        ("class_token", "count: 1", Tokens, 8, 4),
        ("class_token", "count: 3", Tokens, 6, 3),
        ("conv2d", "out: 12, kernel: 3, padding: 1, bias: true", "", 8, 9),
        ("conv2d", "out: 8, kernel: 3, stride: 2, padding: 2, dilation: 2, groups: 4, bias: false", "", 8, 11),
        ("conv2d", "out: 16, kernel: 1, padding: 0, groups: 8, bias: false", "", 8, 5),
        ("conv2d", "out: 8, kernel: 1, kernel_w: 5, padding: 0, padding_w: 2, groups: 8, bias: true", "", 8, 6),
        ("conv2d", "out: 4, kernel: 3, kernel_w: 1, stride: 2, padding: 1, padding_w: 0, bias: false", "", 8, 7),
        ("conv2d", "out: 2, kernel: 1, padding: 0, bias: true, zero_init: true", "", 4, 5),
        ("conv_transpose2d", "out: 4, kernel: 2, stride: 2, bias: true", "", 8, 5),
        ("conv_transpose2d", "out: 6, kernel: 3, stride: 2, padding: 1, output_padding: 1, groups: 2, bias: false", "", 4, 6),
        ("drop_path", "p: 0.1", "", 4, 4),
        ("drop_path", "p: 0.3, mode: batch", Tokens, 4, 4),
        ("dropout", "p: 0.5", Tokens, 4, 4),
        ("flatten", "", "", 4, 3),
        ("flatten", "start: 2", "", 4, 3),
        ("gelu", "", "", 4, 5),
        ("groupnorm", "groups: 2", "", 8, 5),
        ("groupnorm", "groups: 1, eps: 0.000001, affine: false", "", 6, 4),
        ("hardsigmoid", "", "", 4, 5),
        ("hardswish", "", Tokens, 4, 5),
        ("identity", "", "", 4, 5),
        ("layer_scale", "init: 0.00001", Tokens, 8, 4),
        ("layer_scale", "init: 0.1", "", 8, 4),
        ("layernorm", "", Tokens, 8, 4),
        ("layernorm", "over: channels, eps: 0.000001", "", 8, 5),
        ("layernorm", "affine: false", Tokens, 6, 3),
        ("linear", "out: 12, bias: true", Tokens, 8, 3),
        ("linear", "out: 5, bias: false", Vector, 8, 3),
        ("max_pool", "kernel: 3, stride: 2, padding: 1", "", 4, 9),
        ("max_pool", "kernel: 2, dilation: 2, ceil_mode: true", "", 4, 8),
        ("mean_pool", "", "", 8, 5),
        ("multi_head_attention", "heads: 2", Tokens, 8, 3),
        ("multi_head_attention", "heads: 4, bias: false", Tokens, 8, 4),
        ("offset_sample", "from: [x, offsets]", "  - { kind: identity, as: x }\n  - { kind: conv2d, out: 2, kernel: 1, padding: 0, bias: true, as: offsets }", 4, 5),
        ("offset_sample", "from: [x, offsets], padding_mode: border", "  - { kind: identity, as: x }\n  - { kind: avg_pool, kernel: 2 }\n  - { kind: conv2d, out: 2, kernel: 3, padding: 1, bias: false, as: offsets }", 4, 8),
        ("offset_sample", "from: [x, offsets], padding_mode: reflection", Rectangle(6) + "\n  - { kind: identity, as: x }\n  - { kind: conv2d, out: 2, kernel: 1, padding: 0, bias: true, as: offsets }", 4, 6),
        ("permute", "dims: [0, 2, 3, 1]", "", 4, 3),
        ("position_embedding", "", Tokens + "\n  - { name: cls, kind: class_token }", 8, 3),
        ("rearrange", "pattern: \"b c (h p) (w q) -> b (h w) (p q c)\", p: 2, q: 2", "", 4, 6),
        ("relu", "", "", 4, 5),
        ("relu6", "", Tokens, 4, 5),
        ("resize_like", "from: [small, big]", "  - { kind: identity, as: big }\n  - { kind: max_pool, kernel: 2, as: small }", 4, 8),
        ("resize_like", "from: [small, big], mode: bilinear, align_corners: false", "  - { kind: identity, as: big }\n  - { kind: max_pool, kernel: 2, as: small }", 4, 9),
        ("resize_like", "from: [small, big], mode: bilinear, align_corners: true", "  - { kind: identity, as: big }\n  - { kind: avg_pool, kernel: 3, stride: 2, as: small }", 4, 9),
        ("resize_to_multiple", "multiple: 4", "", 4, 10),
        ("resize_to_multiple", "multiple: 3, mode: bilinear, align_corners: true", "", 4, 7),
        ("resize_to_multiple", "multiple: 4, mode: bilinear, align_corners: false", "", 4, 6),
        ("sigmoid", "", "", 4, 5),
        ("silu", "", "", 4, 5),
        ("softmax", "", Tokens, 4, 5),
        ("softmax", "dim: 1", "", 4, 5),
        ("tanh", "", "", 4, 5),

        // LightViT's attention on T global tokens followed by the H×W image tokens
        ("lightvit_attention", "heads: 2, window: 2, qkv_bias: true", Tokens + "\n  - { name: g, kind: class_token, count: 2 }", 8, 4),
        ("lightvit_attention", "heads: 1, window: 3, qkv_bias: false", Tokens + "\n  - { name: g, kind: class_token, count: 1 }", 4, 6),
        ("lightvit_attention", "heads: 4, window: 4, qkv_bias: true", Tokens + "\n  - { name: g, kind: class_token, count: 3 }", 8, 8),
        ("lightvit_attention", "heads: 2, window: 7, qkv_bias: false", Tokens + "\n  - { name: g, kind: class_token, count: 8 }", 4, 7),

        // MAT's attention on a map: windows with an abstract token each, mixed and fused back (or plain window attention)
        ("mat_attention", "heads: 2, window: 2, abstract_tokens: true, bias: true", "", 8, 4),
        ("mat_attention", "heads: 1, window: 3, abstract_tokens: false, bias: false", "", 4, 6),
        ("mat_attention", "heads: 4, window: 7, abstract_tokens: true, bias: false", "", 8, 7),
        ("mat_attention", "heads: 2, window: 2, abstract_tokens: true, bias: true", Rectangle(8), 8, 6),
        ("mat_attention", "heads: 3, window: 2, abstract_tokens: false, bias: true", Rectangle(6), 6, 6),

        // MatchViT's MaSSA on cvnets' unfolded layout [B, d, P, N]
        ("matching_separable_attention", "hidden_tokens: 2, context_width: 8, value_width: model, context_softmax: tokens, match_softmax: hidden_tokens, match_scale: true, relu_v: true, bias: true", Unfold(2), 8, 4),
        ("matching_separable_attention", "hidden_tokens: 3, context_width: 12, value_width: context, context_softmax: hidden_tokens, match_softmax: tokens, match_scale: false, relu_v: false, bias: false", Unfold(2), 8, 6),
        ("matching_separable_attention", "hidden_tokens: 1, context_width: 4, value_width: context, context_softmax: tokens, match_softmax: tokens, match_scale: true, relu_v: false, bias: true", Unfold(1), 6, 3),

        // XFormer's cross feature attention on the (b ph pw) (h w) d tokens of the MobileViT unfolding
        ("cross_feature_attention", "qkv_dim: 8, heads: 2, l2_axis: tokens, temperature: per_head, context: softmax_pool", Unfold(2, tokens: true), 8, 4),
        ("cross_feature_attention", "qkv_dim: 12, heads: 3, l2_axis: features, temperature: per_layer, context: mean", Unfold(2, tokens: true), 6, 6),
        ("cross_feature_attention", "qkv_dim: 4, heads: 1, l2_axis: features, temperature: per_head, context: mean", Tokens, 8, 3),
        ("cross_feature_attention", "qkv_dim: 16, heads: 4, l2_axis: tokens, temperature: per_layer, context: softmax_pool", Tokens, 8, 5),

        // PartialFormer's partial attention on LayerNorm'd tokens, ranked by the tokens before the norm (value x): with a
        // background (SQA and ChannelMLP run), with N_F ≥ N (every token foreground), and N_F = N exactly
        ("partial_attention", "from: [_, x], heads: 2, foreground: 3, head_expansion: 2, channel_reduction: 4, qkv_bias: true", Ranked, 8, 4),
        ("partial_attention", "from: [_, x], heads: 4, foreground: 30, head_expansion: 1, channel_reduction: 2, qkv_bias: false, expect_background: false", Ranked, 8, 5),
        ("partial_attention", "from: [_, x], heads: 1, foreground: 1, head_expansion: 3, channel_reduction: 1, qkv_bias: true, expect_background: true", Ranked, 4, 3),
        ("partial_attention", "from: [_, x], heads: 2, foreground: 16, head_expansion: 4, channel_reduction: 8, qkv_bias: false", Ranked, 16, 4),
    };

    private const string Ranked = "  - { kind: map_to_tokens, as: x }\n  - { name: norm, kind: layernorm }";

    /// <summary>A 1×3 convolution without padding: an S×S input becomes an S×(S−2) map of <paramref name="channels"/>.</summary>
    private static string Rectangle(int channels) =>
        $"  - {{ kind: conv2d, out: {channels}, kernel: 1, kernel_w: 3, padding: 0, padding_w: 0, bias: false }}";

    private static string Unfold(int patch, bool tokens = false) => tokens
        ? $"  - {{ kind: rearrange, pattern: \"b d (h ph) (w pw) -> (b ph pw) (h w) d\", ph: {patch}, pw: {patch} }}"
        : $"  - {{ kind: rearrange, pattern: \"b d (h ph) (w pw) -> b d (ph pw) (h w)\", ph: {patch}, pw: {patch} }}";

    public static IEnumerable<object[]> Cases() => s_cases.Select(c => new object[] { c.Kind, c.Args, c.Prelude, c.Channels, c.Size });

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_runtime_module_runs_the_traced_operations(string kind, string args, string prelude, int channels, int size)
    {
        var (op, evaluated, inputs) = KindConformance.Probe(kind, args, prelude, channels, size);
        var differences = KindConformance.Check(op, evaluated, inputs);
        Assert.True(differences.Count == 0, string.Join("\n", differences));
    }

    [Fact]
    public void Every_kind_with_a_runtime_module_has_cases_and_every_choice_is_sampled()
    {
        var kinds = KindCatalogue.CSharpKinds.Where(k => k.RuntimeType != null).ToList();
        var missing = kinds.Select(k => k.Name).Except(s_cases.Select(c => c.Kind)).ToList();
        Assert.True(missing.Count == 0, "kinds without conformance cases: " + string.Join(", ", missing));
        foreach (var kind in kinds)
        {
            var written = s_cases.Where(c => c.Kind == kind.Name).Select(c => c.Args).ToList();
            foreach (var p in kind.Params.Where(p => p.Type is ParamType.Choice or ParamType.Bool))
            {
                var values = p.Type == ParamType.Bool ? new[] { "true", "false" } : p.Choices.ToArray();
                foreach (var value in values)
                {
                    bool isDefault = p.Default is { } d && d.ToString() == value;
                    bool sampled = written.Any(a => a.Contains($"{p.Name}: {value}")) || isDefault && written.Any(a => !a.Contains(p.Name + ":"));
                    Assert.True(sampled, $"{kind.Name}: no case takes {p.Name}: {value}");
                }
            }
        }
    }

    // ---- drift: a second definition that disagrees with the first must fail the check ----

    [Fact]
    public void A_runtime_module_that_skips_an_operation_of_the_trace_fails()
    {
        var differences = KindConformance.Check(new ConvReluKind(), Args(), new[] { Shape.Image(4, 5, 5) });
        var difference = Assert.Single(differences);
        Assert.Contains("test_conv_relu: (root): op 1 differs; the trace has [relu 200], the runtime ran nothing", difference);
    }

    [Fact]
    public void A_kind_whose_runtime_class_does_not_exist_fails()
    {
        var differences = KindConformance.Check(new MissingRuntimeKind(), Args(), new[] { Shape.Image(4, 5, 5) });
        Assert.Equal("test_missing_runtime: the runtime class ArchDsl.Runtime.Blocks.NoSuchAttention does not exist", Assert.Single(differences));
    }

    [Fact]
    public void A_runtime_constructor_that_does_not_take_the_kinds_arguments_fails()
    {
        var differences = KindConformance.Check(new WrongArgumentsKind(), Args(), new[] { Shape.Image(4, 5, 5) });
        Assert.Contains("no constructor of ArchDsl.Tests.Models.ConvReluWithoutRelu takes (in_channels, out_channels)", Assert.Single(differences));
    }

    private static BlockArgs Args() => new(ArchDsl.Dsl.Util.EquatableArray<BlockArg>.Empty);
}

/// <summary>A test kind: a 1×1 convolution to 8 channels, then a ReLU.</summary>
internal class ConvReluKind : BlockKind
{
    public override string Name => "test_conv_relu";
    public override string Summary => "conv 1×1 then ReLU (a test double)";
    public override IReadOnlyList<ParamDecl> Params { get; } = System.Array.Empty<ParamDecl>();
    public override string RuntimeType => typeof(ConvReluWithoutRelu).FullName!;

    protected override Shape Trace(BlockArgs args, Shape x, Tracer t)
    {
        var y = t.Conv2d("conv", x, 8, 1, bias: false);
        t.Activation("", "relu", y.Elements);
        return y;
    }
}

/// <summary>The same kind naming a runtime class that does not exist.</summary>
internal sealed class MissingRuntimeKind : ConvReluKind
{
    public override string Name => "test_missing_runtime";
    public override string RuntimeType => "ArchDsl.Runtime.Blocks.NoSuchAttention";
}

/// <summary>The same kind passing an argument its runtime class does not take.</summary>
internal sealed class WrongArgumentsKind : ConvReluKind
{
    public override string Name => "test_wrong_arguments";

    public override IEnumerable<ConstructorArg> ConstructorArgs(BlockArgs args, IReadOnlyList<Shape> inputs) =>
        new[] { new ConstructorArg("in_channels", (long)inputs[0].Channels), new ConstructorArg("out_channels", 8L) };
}

/// <summary>The runtime side of <see cref="ConvReluKind"/> with its ReLU removed: the drift the check must catch.</summary>
internal sealed class ConvReluWithoutRelu : Module<Tensor, Tensor>
{
    private readonly Conv2d _conv;

    public ConvReluWithoutRelu(long in_channels) : base(nameof(ConvReluWithoutRelu)) =>
        _conv = register_module("conv", new Conv2d(in_channels, 8, 1, bias: false));

    public override Tensor forward(Tensor input) => _conv.call(input);
}
