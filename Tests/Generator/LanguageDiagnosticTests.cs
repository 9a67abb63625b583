using System.Linq;
using ArchDsl.Tests.Support;
using Xunit;
using static ArchDsl.Tests.Generator.DiagnosticTests;

namespace ArchDsl.Tests.Generator;

/// <summary>Mistakes in blocks written in YAML, each a located diagnostic with the numbers, never a crash or a build that
/// fails only when the model is constructed.</summary>
public class LanguageDiagnosticTests
{
    // A residual block of the family's own, used twice: the second use widens the channels.
    private const string Blocks = """
        family: Tiny
        title: "A tiny family with a block of its own"
        input: { channels: 3, size: 32 }
        blocks:
          conv_bn:
            doc: "conv, BatchNorm"
            params:
              width: { type: int, min: 1, doc: "output channels" }
              stride: { type: int, default: 1, min: 1, max: 2 }
            rows:
              - { name: conv, kind: conv2d, out: width, kernel: 3, stride: stride, padding: 1, bias: false }
              - { name: bn, kind: batchnorm }
          res:
            params:
              width: { type: int, min: 1 }
              stride: { type: int, default: 1 }
            rows:
              - kind: residual
                rows:
                  - { name: body, kind: conv_bn, width: width, stride: stride }
                shortcut:
                  - { name: down, kind: conv_bn, width: width, stride: stride, when: "stride != 1 or in_channels != width" }
        stem:
          - { name: stem, kind: conv_bn, width: 16 }
        stages:
          s1:
            - { into: layer1, kind: res, width: 16, repeat: 2 }
          s2:
            - { into: layer2, kind: res, width: 32, stride: 2 }
        head:
          - { kind: mean_pool }
          - { name: fc, kind: linear, out: 10, bias: true }
        variants:
          A: {}
        """;

    [Fact]
    public void The_family_with_blocks_generates_a_module_and_no_diagnostic()
    {
        var result = Run(Blocks);
        Assert.Empty(result.Diagnostics);
        var source = Assert.Single(result.Results[0].GeneratedSources).SourceText.ToString();
        Assert.Contains("public sealed class Res ", source);
        Assert.Contains("RegisterAt(\"layer2.0\"", source);
    }

    [Fact]
    public void An_unknown_block_gets_a_suggestion() =>
        ExpectAt(Blocks.Replace("kind: res, width: 32", "kind: rez, width: 32"), "ADSL006", "rez", messagePart: "did you mean 'res'");

    [Fact]
    public void An_unknown_parameter_of_a_block_gets_a_suggestion() =>
        ExpectAt(Blocks.Replace("kind: res, width: 32", "kind: res, widht: 32"), "ADSL002", "widht", messagePart: "did you mean 'width'");

    [Fact]
    public void A_missing_parameter_of_a_block_is_named() =>
        ExpectAt(Blocks.Replace("kind: res, width: 32, stride: 2", "kind: res, stride: 2"), "ADSL004", "res, stride: 2", messagePart: "res needs 'width:'");

    [Fact]
    public void A_residual_whose_sides_differ_asks_for_a_shortcut() =>
        ExpectAt(Blocks.Replace("when: \"stride != 1 or in_channels != width\"", "when: \"stride != 1\"").Replace("width: 32, stride: 2", "width: 32"),
            "ADSL010", "{ into: layer2", messagePart: "the residual adds [B, 32, 32, 32] to [B, 16, 32, 32]: add a shortcut");

    [Fact]
    public void Two_rows_at_one_module_path_collide() =>
        ExpectAt(Blocks.Replace("{ name: bn, kind: batchnorm }", "{ name: conv, kind: batchnorm }"), "ADSL012", "conv, kind: batchnorm",
            messagePart: "the module path 'conv' is used twice");

    [Fact]
    public void An_unnamed_parameter_free_module_of_a_section_holds_its_index_like_nn_Sequential()
    {
        // nn.Sequential(pool, flatten, linear) keys the linear "head.2": the parameter-free modules take 0 and 1
        var result = Run(Blocks.Replace("  - { kind: mean_pool }\n  - { name: fc, kind: linear, out: 10, bias: true }",
            "  - { kind: adaptive_avg_pool, size: 1 }\n  - { kind: flatten }\n  - { kind: linear, out: 10, bias: true }"));
        Assert.Empty(result.Diagnostics);
        var source = Assert.Single(result.Results[0].GeneratedSources).SourceText.ToString();
        Assert.Contains("RegisterAt(\"head.2\"", source);
    }

    [Fact]
    public void A_path_inside_another_module_collides() =>
        ExpectAt(Blocks.Replace("{ name: bn, kind: batchnorm }", "{ name: conv.bn, kind: batchnorm }"), "ADSL012", "conv.bn, kind",
            messagePart: "'conv.bn' and 'conv' collide");

    [Fact]
    public void A_container_with_numbered_and_named_parts_is_rejected() =>
        ExpectAt(Blocks.Replace("{ name: stem, kind: conv_bn, width: 16 }", "{ name: stem.0, kind: conv_bn, width: 16 }\n  - { name: stem.relu, kind: relu }"),
            "ADSL017", "stem.relu", messagePart: "holds both numbered and named parts");

    [Fact]
    public void A_value_no_row_names_is_reported_with_the_names_there_are() =>
        ExpectAt(Blocks.Replace("- { name: bn, kind: batchnorm }", "- { name: bn, kind: batchnorm, from: convv }"), "ADSL010", "convv",
            messagePart: "no value named 'convv' here");

    [Fact]
    public void A_kind_chosen_by_a_parameter_is_checked_where_it_is_used() =>
        ExpectAt(Blocks.Replace("- { name: bn, kind: batchnorm }", "- { name: bn, kind: \"{norm}\" }")
                .Replace("stride: { type: int, default: 1, min: 1, max: 2 }", "stride: { type: int, default: 1, min: 1, max: 2 }\n      norm: { type: text, default: batchnrom }"),
            "ADSL006", "\"{norm}\"", messagePart: "unknown block kind 'batchnrom' (from '{norm}'); did you mean 'batchnorm'?");

    [Fact]
    public void An_unclosed_brace_followed_by_more_rows_is_reported_at_the_brace() =>
        ExpectAt(Blocks.Replace("{ name: fc, kind: linear, out: 10, bias: true }", "{ name: fc, kind: linear, out: 10, bias: true"),
            "ADSL001", "{ name: fc", messagePart: "never closed");

    [Fact]
    public void A_parameter_out_of_its_declared_range_is_located_at_the_value() =>
        ExpectAt(Blocks.Replace("kind: res, width: 32, stride: 2", "kind: res, width: 0, stride: 2"), "ADSL005", "0, stride: 2",
            messagePart: "'width' is 0, outside the allowed range [1,");

    [Fact]
    public void A_mistake_inside_a_library_block_is_reported_at_the_family_row_that_uses_it()
    {
        const string library = """
            library: mine
            blocks:
              double_conv:
                params:
                  width: { type: int, min: 1 }
                rows:
                  - { name: a, kind: conv2d, out: width, kernel: 3, padding: 1, bias: false }
                  - { name: b, kind: conv2d, out: width, kernel: 3, padding: 1, groups: 3, bias: false }
            """;
        const string family = """
            family: UsesLibrary
            title: "A family that uses a library block"
            input: { channels: 3, size: 32 }
            stages:
              s1:
                - { name: block, kind: double_conv, width: 16 }
            variants:
              A: {}
            """;
        var result = GeneratorHarness.Run(GeneratorHarness.File("/test/UsesLibrary.arch.yaml", family), GeneratorHarness.File("/test/Mine.blocks.yaml", library));
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("ADSL008", diagnostic.Id);
        Assert.Equal("/test/UsesLibrary.arch.yaml", diagnostic.Location.GetLineSpan().Path);
        Assert.Equal(5, diagnostic.Location.GetLineSpan().StartLinePosition.Line);
        Assert.Contains("block (double_conv, Mine.blocks.yaml): block.b: 3 groups must divide both 16 input and 16 output channels", diagnostic.GetMessage());
    }

    [Fact]
    public void A_library_s_own_mistakes_are_reported_in_the_library_file()
    {
        const string library = """
            library: mine
            blocks:
              broken:
                rows:
                  - { name: a, kind: conv2dd, out: 8, kernel: 3, padding: 1, bias: false }
            """;
        var result = GeneratorHarness.Run(GeneratorHarness.File("/test/Mine.blocks.yaml", library));
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("ADSL006", diagnostic.Id);
        Assert.Equal("/test/Mine.blocks.yaml", diagnostic.Location.GetLineSpan().Path);
        Assert.Equal((4, 25), (diagnostic.Location.GetLineSpan().StartLinePosition.Line, diagnostic.Location.GetLineSpan().StartLinePosition.Character));
        Assert.Contains("did you mean 'conv2d'", diagnostic.GetMessage());
    }
}
