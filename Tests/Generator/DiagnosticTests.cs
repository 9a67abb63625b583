using System.Linq;
using ArchDsl.Generator;
using ArchDsl.Tests.Support;
using Microsoft.CodeAnalysis;
using Xunit;

namespace ArchDsl.Tests.Generator;

/// <summary>One test per ADSL diagnostic: a broken file gives exactly that diagnostic, at the line and column of the
/// mistake (1-based, as an editor shows it), and an error stops the file's source from being generated.</summary>
public class DiagnosticTests
{
    internal const string Valid = """
        family: Tiny
        title: "A tiny family for diagnostics tests"
        input: { channels: 3, size: 32 }
        stages:
          s1:
            - { name: conv, kind: conv2d, out: width, kernel: 3, stride: 2, padding: 1, bias: false }
            - { name: bn, kind: batchnorm }
        head:
          - { kind: mean_pool }
          - { name: fc, kind: linear, out: 10, bias: true }
        variants:
          A: { width: 8 }
        """;

    [Fact]
    public void The_valid_file_generates_a_module_and_no_diagnostic()
    {
        var result = Run(Valid);
        Assert.Empty(result.Diagnostics);
        Assert.Single(result.Results[0].GeneratedSources);
    }

    [Fact]
    public void ADSL001_an_unclosed_brace_is_reported_at_the_brace() =>
        ExpectAt(Valid.Replace("input: { channels: 3, size: 32 }", "input: { channels: 3, size: 32"),
            "ADSL001", "{ channels", messagePart: "never closed");

    [Fact]
    public void ADSL001_an_unterminated_string() =>
        ExpectAt(Valid.Replace("title: \"A tiny family for diagnostics tests\"", "title: \"A tiny family"),
            "ADSL001", "\"A tiny", messagePart: "");

    [Fact]
    public void ADSL002_unknown_parameter_with_suggestion() =>
        ExpectAt(Valid.Replace("kernel: 3", "kernal: 3"), "ADSL002", "kernal", messagePart: "did you mean 'kernel'");

    [Fact]
    public void ADSL002_unused_variant_variable_is_reported_as_a_likely_typo() =>
        ExpectAt(Valid.Replace("out: width", "out: 8"), "ADSL002", "width: 8", messagePart: "not used by any row");

    [Fact]
    public void ADSL003_wrong_type() =>
        ExpectAt(Valid.Replace("bias: false", "bias: 3"), "ADSL003", "3 }", messagePart: "must be true or false");

    [Fact]
    public void ADSL004_missing_required_parameter() =>
        ExpectAt(Valid.Replace(" padding: 1,", ""), "ADSL004", "conv2d", messagePart: "needs 'padding:'");

    [Fact]
    public void ADSL005_absurd_size() =>
        ExpectAt(Valid.Replace("{ name: bn, kind: batchnorm }", "{ into: bn, kind: batchnorm, repeat: 1000000000 }"),
            "ADSL005", "1000000000", messagePart: "outside the allowed range [1, 1000]");

    [Fact]
    public void ADSL006_unknown_block_kind() =>
        ExpectAt(Valid.Replace("kind: batchnorm", "kind: batchnrom"), "ADSL006", "batchnrom", messagePart: "did you mean 'batchnorm'");

    [Fact]
    public void ADSL007_unknown_variable_points_into_the_expression() =>
        ExpectAt(Valid.Replace("out: width,", "out: \"width * scale\","), "ADSL007", "scale\"", messagePart: "unknown variable 'scale'");

    [Fact]
    public void ADSL008_groups_do_not_divide_channels() =>
        ExpectAt(Valid.Replace("padding: 1,", "padding: 1, groups: 3,"), "ADSL008", "{ name: conv", messagePart: "3 groups must divide");

    [Fact]
    public void ADSL009_window_does_not_fit_the_feature_map() =>
        ExpectAt(Valid.Replace("size: 32", "size: 2").Replace("padding: 1", "padding: 0"), "ADSL009", "{ name: conv",
            messagePart: "does not fit a 2×2 map");

    [Fact]
    public void ADSL010_channel_flow_does_not_connect() =>
        ExpectAt(Valid.Replace("{ name: bn, kind: batchnorm }", "{ name: bn, kind: batchnorm, in: 16 }"), "ADSL010", "{ name: bn",
            messagePart: "declares in: 16 channels, but the rows before it produce 8");

    [Fact]
    public void ADSL010_a_classifier_on_a_feature_map() =>
        ExpectAt(Valid.Replace("  - { kind: mean_pool }\n", ""), "ADSL010", "{ name: fc", messagePart: "add a pooling row");

    [Fact]
    public void ADSL011_published_number_outside_tolerance_is_a_warning_and_code_is_still_generated()
    {
        var text = Valid.Replace("A: { width: 8 }", "A: { width: 8, published: { params: { value: 1.0M, source: \"test\" } } }");
        var result = ExpectAt(text, "ADSL011", "{ value: 1.0M", messagePart: "vs published 1.0M", expectSource: true);
        Assert.Equal(DiagnosticSeverity.Warning, result.Diagnostics.Single().Severity);
    }

    [Fact]
    public void ADSL012_a_module_path_used_twice() =>
        ExpectAt(Valid.Replace("{ name: bn, kind: batchnorm }", "{ name: conv, kind: batchnorm }"), "ADSL012", "conv, kind: batchnorm",
            messagePart: "'conv' is used twice");

    [Fact]
    public void ADSL012_a_duplicate_key() =>
        ExpectAt(Valid.Replace("title: \"A tiny", "title: \"x\"\ntitle: \"A tiny"), "ADSL012", "title: \"A tiny", messagePart: "duplicate key 'title'");

    [Fact]
    public void ADSL013_unknown_counting_convention() =>
        ExpectAt(Valid.Replace("A: { width: 8 }", "A: { width: 8, published: { macs: { value: 0.1G, at: 32, convention: fvcor, source: \"t\" } } }"),
            "ADSL013", "fvcor", messagePart: "did you mean 'fvcore'");

    [Fact]
    public void ADSL014_a_width_that_is_not_an_integer() =>
        ExpectAt(Valid.Replace("out: width,", "out: \"width * 1.5 + 0.2\","), "ADSL014", "\"width * 1.5", messagePart: "evaluates to 12.2");

    [Fact]
    public void ADSL015_a_documented_gap_is_reported_as_information()
    {
        var text = Valid.Replace("A: { width: 8 }",
            "A: { width: 8, published: { params: { value: 1.0M, source: \"t\", known_gap: \"the paper's table is garbled\" } } }");
        var result = ExpectAt(text, "ADSL015", "{ value: 1.0M", messagePart: "known gap: the paper's table is garbled", expectSource: true);
        Assert.Equal(DiagnosticSeverity.Info, result.Diagnostics.Single().Severity);
    }

    [Fact]
    public void ADSL099_an_exception_inside_arch_dsl_becomes_a_diagnostic_at_the_file()
    {
        // a text the compiler would never pass (null) makes the Dsl throw: the generator reports it instead of crashing
        var result = FamilyModelBuilder.Build(new ArchSourceFile("/x/Broken.arch.yaml", null!), "Test", ArchDsl.Dsl.Util.EquatableArray<ArchSourceFile>.Empty);
        Assert.Null(result.Model);
        var diagnostic = ArchGenerator.ToDiagnostic(Assert.Single(result.Diagnostics));
        Assert.Equal("ADSL099", diagnostic.Id);
        Assert.Equal("/x/Broken.arch.yaml", diagnostic.Location.GetLineSpan().Path);
        Assert.Contains("ArgumentNullException", diagnostic.GetMessage());
    }

    [Fact]
    public void ADSL016_a_block_that_uses_itself() =>
        ExpectAt(Valid.Replace("stages:", """
            blocks:
              twice:
                rows:
                  - { kind: again }
              again:
                rows:
                  - { kind: twice }
            stages:
            """), "ADSL016", "again }", messagePart: "block 'twice' uses itself: twice → again → twice");

    [Fact]
    public void ADSL017_a_numbered_container_that_skips_an_index() =>
        ExpectAt(Valid.Replace("{ name: conv,", "{ name: body.0,").Replace("{ name: bn,", "{ name: body.2,"),
            "ADSL017", "body.2", messagePart: "'body.2' skips body.1");

    // 32×32 through a stride-2 conv: 16×16 = 256 tokens, all of them foreground with N_F = 256
    private const string PartialAttentionRows = """
                - { name: bn, kind: batchnorm }
                - { kind: map_to_tokens, as: x }
                - { name: norm, kind: layernorm }
                - { name: attn, kind: partial_attention, from: [_, x], heads: 2, foreground: 256, head_expansion: 2, channel_reduction: 2, qkv_bias: true }
                - { kind: tokens_to_map }
            """;

    [Fact]
    public void ADSL018_partial_attention_without_background_tokens_is_a_warning_at_the_row_and_code_is_still_generated()
    {
        var text = Valid.Replace("    - { name: bn, kind: batchnorm }\n", PartialAttentionRows + "\n");
        var result = ExpectAt(text, "ADSL018", "{ name: attn", expectSource: true,
            messagePart: "at 32×32: attn (partial_attention): 256 foreground tokens (N_F) cover all 256 tokens (16×16 map): no background token");
        Assert.Equal(DiagnosticSeverity.Warning, result.Diagnostics.Single().Severity);

        // one token fewer leaves a background token; expect_background: false states that none is intended
        Assert.Empty(Run(text.Replace("foreground: 256", "foreground: 255")).Diagnostics);
        Assert.Empty(Run(text.Replace("qkv_bias: true }", "qkv_bias: true, expect_background: false }")).Diagnostics);
    }

    [Fact]
    public void Every_diagnostic_id_has_a_test()
    {
        var tested = typeof(DiagnosticTests).GetMethods().Select(m => m.Name).Where(n => n.StartsWith("ADSL")).Select(n => n[..7]).ToHashSet();
        var missing = ArchDsl.Dsl.Diagnostics.DiagnosticId.All.Select(d => d.Id).Where(id => !tested.Contains(id)).ToList();
        Assert.Empty(missing);
    }

    internal static GeneratorDriverRunResult Run(string text) =>
        GeneratorHarness.Run(GeneratorHarness.File("/test/Tiny.arch.yaml", text));

    /// <summary>Expects the diagnostic where <paramref name="anchor"/> first occurs in the text.</summary>
    internal static GeneratorDriverRunResult ExpectAt(string text, string id, string anchor, string messagePart, bool expectSource = false)
    {
        int offset = text.IndexOf(anchor, System.StringComparison.Ordinal);
        Assert.True(offset >= 0, $"anchor '{anchor}' is not in the test text");
        int line = text[..offset].Count(c => c == '\n') + 1;
        int column = offset - (text.LastIndexOf('\n', offset - 1) + 1) + 1;
        return Expect(text, id, line, column, messagePart, expectSource);
    }

    private static GeneratorDriverRunResult Expect(string text, string id, int line, int column, string messagePart, bool expectSource = false)
    {
        var result = Run(text);
        var all = string.Join("\n", result.Diagnostics.Select(d => d.ToString()));
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.True(diagnostic.Id == id, $"expected {id}, got:\n{all}");
        var position = diagnostic.Location.GetLineSpan();
        Assert.Equal("/test/Tiny.arch.yaml", position.Path);
        Assert.True((position.StartLinePosition.Line + 1, position.StartLinePosition.Character + 1) == (line, column),
            $"expected {id} at {line}:{column}, got:\n{all}");
        Assert.Contains(messagePart, diagnostic.GetMessage());
        Assert.Equal(expectSource ? 1 : 0, result.Results[0].GeneratedSources.Length);
        return result;
    }
}
