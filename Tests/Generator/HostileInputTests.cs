using System;
using System.Linq;
using ArchDsl.Tests.Support;
using Microsoft.CodeAnalysis;
using Xunit;

namespace ArchDsl.Tests.Generator;

/// <summary>The examples of issue 11 ("never crash, never hang, never emit C# that does not compile"), one test each:
/// every file gets located diagnostics within the time limit, or code that compiles (<see cref="GeneratorCheck"/>).</summary>
public class HostileInputTests
{
    private const string Valid = DiagnosticTests.Valid;

    /// <summary>Runs the generator on <paramref name="text"/>, asserts the promise, and returns the diagnostics.</summary>
    private static Diagnostic[] Check(string text)
    {
        var outcome = GeneratorCheck.Run(new[] { GeneratorHarness.File("/test/Tiny.arch.yaml", text) });
        Assert.True(outcome.Failures.Count == 0, string.Join("\n", outcome.Failures));
        return DiagnosticTests.Run(text).Diagnostics.ToArray();
    }

    /// <summary>Asserts an error <paramref name="id"/> whose message contains <paramref name="messagePart"/>, at the
    /// first occurrence of <paramref name="anchor"/>.</summary>
    private static void ErrorAt(string text, string id, string anchor, string messagePart)
    {
        int offset = text.IndexOf(anchor, StringComparison.Ordinal);
        Assert.True(offset >= 0, $"anchor '{anchor}' is not in the text");
        ErrorWithin(text, id, offset, offset + 1, messagePart);
    }

    /// <summary>Asserts an error <paramref name="id"/> whose message contains <paramref name="messagePart"/>, starting at an
    /// offset in [<paramref name="from"/>, <paramref name="to"/>).</summary>
    private static void ErrorWithin(string text, string id, int from, int to, string messagePart)
    {
        var diagnostics = Check(text);
        var all = string.Join("\n", diagnostics.Select(d => d.ToString().Length > 300 ? d.ToString()[..300] + "…" : d.ToString()));
        var diagnostic = diagnostics.FirstOrDefault(d => d.Id == id && d.GetMessage().Contains(messagePart));
        Assert.True(diagnostic != null, $"expected {id} '{messagePart}', got:\n{all}");
        int start = diagnostic!.Location.SourceSpan.Start;
        Assert.True(start >= from && start < to, $"expected {id} at an offset in [{from}, {to}), got {start}:\n{all}");
    }

    // --- internal errors and crashes instead of diagnostics

    [Fact]
    public void An_unclosed_brace_followed_by_more_rows_is_a_syntax_error_at_the_brace() =>
        ErrorAt(Valid.Replace("stride: 2, padding: 1, bias: false }", "stride: 2, padding: 1, bias: false"),
            "ADSL001", "{ name: conv", "never closed");

    [Fact]
    public void A_file_that_is_only_a_document_marker_is_reported() =>
        Assert.Contains(Check("---"), d => d.Severity == DiagnosticSeverity.Error);

    [Fact]
    public void A_flow_mapping_cut_off_at_the_end_of_the_file_is_reported_at_its_brace() =>
        ErrorAt("family: Tiny\ntitle: t\ninput: { channels: 3,", "ADSL001", "{ channels", "never closed");

    [Fact]
    public void A_carriage_return_inside_a_flow_key_is_located_as_an_editor_shows_it() =>
        Assert.Contains(Check(Valid.Replace("{ name: bn,", "{ na\rme: bn,")), d => d.Severity == DiagnosticSeverity.Error);

    // --- stack exhaustion and blow-ups

    [Fact]
    public void Ten_thousand_nested_brackets_in_a_value_stop_at_the_depth_limit()
    {
        // at the bracket that passes the limit, inside the value
        var text = Valid.Replace("out: 10,", "out: " + new string('[', 10_000) + ",");
        int first = text.IndexOf("[[[", StringComparison.Ordinal);
        ErrorWithin(text, "ADSL005", first, first + 10_000, "nest more than 100 deep");
    }

    [Fact]
    public void Ten_thousand_nested_parentheses_in_an_expression_stop_at_the_depth_limit()
    {
        // at the parenthesis that passes the limit
        var text = Valid.Replace("out: 10,", "out: \"" + new string('(', 10_000) + "10" + new string(')', 10_000) + "\",");
        int first = text.IndexOf("((((", StringComparison.Ordinal);
        ErrorWithin(text, "ADSL005", first, first + 10_000, "nests too deeply");
    }

    [Fact]
    public void A_sum_of_forty_thousand_terms_stops_at_the_length_limit()
    {
        var text = Valid.Replace("out: 10,", "out: \"" + string.Join(" + ", Enumerable.Repeat("1", 40_000)) + "\",");
        int first = text.IndexOf("1 + 1", StringComparison.Ordinal);
        ErrorWithin(text, "ADSL005", first, first + 160_000, "too long");
    }

    [Fact]
    public void A_block_mapping_nested_a_thousand_deep_stops_at_the_depth_limit()
    {
        var nested = string.Concat(Enumerable.Range(0, 1000).Select(i => "\n" + new string(' ', 2 * (i + 1)) + "a:")) + " 1";
        // at the mapping that passes the limit, inside the nest
        var text = Valid + "\nnotes:" + nested + "\n";
        ErrorWithin(text, "ADSL005", text.IndexOf("notes:", StringComparison.Ordinal), text.Length, "nest more than 100 deep");
    }

    [Fact]
    public void An_alias_bomb_stops_at_the_expansion_limit()
    {
        // nine levels of ten aliases each: 10^9 nodes from about 500 bytes
        var lines = new System.Text.StringBuilder("\nnotes:\n  - &l0 [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n");
        for (int level = 1; level <= 9; level++)
            lines.Append($"  - &l{level} [{string.Join(", ", Enumerable.Repeat($"*l{level - 1}", 10))}]\n");
        // at the first list past 100,000 nodes: l4 holds 10^5 ones
        ErrorAt(Valid + lines, "ADSL005", "&l4", "expands to more than");
    }

    [Fact]
    public void A_thousand_repeats_of_a_heavy_block_in_every_variant_stop_at_the_operation_budget()
    {
        // ViT's encoder block (attention and MLP, about 20 operations) 1,000 times in each of the five variants: the
        // budget runs out in the first, at the row that repeats the block
        var text = System.IO.File.ReadAllText(Repository.ArchitectureFile("VisionTransformer"))
            .Replace("layers: 12", "layers: 1000").Replace("layers: 24", "layers: 1000").Replace("layers: 2\n", "layers: 1000\n");
        ErrorAt(text, "ADSL005", "encoder_block, repeat: layers", "operations");
    }

    [Fact]
    public void The_zoo_stays_well_within_the_operation_budget()
    {
        // the budget bounds hostile files, not the zoo: the largest family file (all its variants) uses under half of it
        var largest = SnapshotTests.ZooFamilies().Select(f => (string)f[0]).Select(family =>
        {
            var analysis = ArchDsl.Dsl.Analysis.FamilyAnalysis.Run(System.IO.File.ReadAllText(Repository.ArchitectureFile(family)), libraries: Repository.Libraries);
            return (Family: family, Operations: analysis.Variants.Sum(v => v.Resolved.Root.Operations));
        }).MaxBy(f => f.Operations);
        Assert.True(largest.Operations * 2 < ArchDsl.Dsl.Graph.OperationBudget.Limit, $"{largest.Family}: {largest.Operations:N0} operations");
    }

    [Fact]
    public void Nested_repeats_stop_at_the_operation_budget()
    {
        var text = Valid.Replace("stages:", "blocks:\n  chain: { rows: [ { kind: relu, repeat: 1000 } ] }\n  chains: { rows: [ { kind: chain, repeat: 1000 } ] }\nstages:")
            .Replace("- { name: bn, kind: batchnorm }", "- { name: bn, kind: batchnorm }\n    - { kind: chains, repeat: 1000 }");
        ErrorAt(text, "ADSL005", "chain, repeat: 1000 } ]", "operations");
    }

    // --- non-finite numbers

    [Fact]
    public void A_non_finite_expansion_ratio_is_an_error_at_the_value() =>
        ErrorAt(Valid.Replace("{ name: bn, kind: batchnorm }", "{ name: bn, kind: batchnorm }\n    - { name: ir, kind: mv2, out: 8, stride: 1, expand: \"1e999 - 1e999\", hidden_divisor: 8, act: relu }"),
            "ADSL007", "1e999 - 1e999", "not a finite number");

    [Fact]
    public void A_non_finite_eps_is_an_error_at_the_value() =>
        ErrorAt(Valid.Replace("{ name: bn, kind: batchnorm }", "{ name: bn, kind: batchnorm, eps: \"1e999 - 1e999\" }"),
            "ADSL007", "1e999 - 1e999", "not a finite number");

    [Fact]
    public void A_value_outside_a_kinds_declared_range_is_an_error_at_the_value() =>
        // BatchNormKind declares eps in [1e-12, 1]
        ErrorAt(Valid.Replace("{ name: bn, kind: batchnorm }", "{ name: bn, kind: batchnorm, eps: 2 }"), "ADSL005", "2 }\nhead", "outside a number in");

    [Fact]
    public void A_value_outside_a_yaml_blocks_declared_range_is_an_error_at_the_value() =>
        // cvnets.blocks.yaml declares mv2's expand in [1, 16]
        ErrorAt(Valid.Replace("{ name: bn, kind: batchnorm }", "{ name: bn, kind: batchnorm }\n    - { name: ir, kind: mv2, out: 8, stride: 1, expand: 100, hidden_divisor: 8, act: relu }"),
            "ADSL005", "100, hidden", "outside");

    [Fact]
    public void A_chain_of_variables_longer_than_the_bound_is_an_error()
    {
        // v0 = 1, v1 = v0 + 1, …: evaluating the last recurses once per link (VariableScope.MaxChain)
        var vars = string.Concat(Enumerable.Range(1, 150).Select(i => $"  v{i}: \"v{i - 1} + 1\"\n"));
        var text = Valid.Replace("stages:", "vars:\n  v0: 1\n" + vars + "stages:").Replace("out: width,", "out: v150,");
        ErrorWithin(text, "ADSL005", text.IndexOf("vars:", StringComparison.Ordinal), text.IndexOf("stages:", StringComparison.Ordinal), "chain of more than 100 variables");
    }

    // --- generated C# that did not compile while the YAML reported no error

    [Fact]
    public void A_family_named_like_a_csharp_keyword_compiles() =>
        Assert.Empty(Check(Valid.Replace("family: Tiny", "family: class")));

    [Theory]
    [InlineData("Tiny", "ADSL012", "the family's own name")]
    [InlineData("Create", "ADSL012", "a member ArchDsl generates")]
    [InlineData("Spec", "ADSL012", "a member ArchDsl generates")]
    [InlineData("var", "ADSL003", "reserved by C#")]
    [InlineData("nameof", "ADSL003", "reserved by C#")]
    public void A_variant_named_like_its_family_a_generated_member_or_var_is_an_error_at_the_name(string name, string id, string message)
    {
        ErrorAt(Valid.Replace("A: { width: 8 }", name + ": { width: 8 }"), id, name + ": { width", message);
        ErrorAt(Valid.Replace("A: { width: 8 }", "A: { class: " + name + ", width: 8 }"), id, name + ", width", message);
    }

    [Theory]
    [InlineData("Create", "ADSL012", "a member ArchDsl generates")]
    [InlineData("Blocks", "ADSL012", "a member ArchDsl generates")]
    [InlineData("var", "ADSL003", "reserved by C#")]
    [InlineData("a.b", "ADSL003", "not a C# identifier")]
    public void A_family_named_like_a_generated_member_or_var_is_an_error_at_the_name(string name, string id, string message) =>
        ErrorAt(Valid.Replace("family: Tiny", "family: " + name), id, name + "\n", message);

    [Fact]
    public void A_variant_named_like_a_csharp_keyword_compiles() =>
        Assert.Empty(Check(Valid.Replace("A: { width: 8 }", "int: { width: 8 }")));

    [Theory]
    [InlineData("\\u2028")]
    [InlineData("\\u2029")]
    [InlineData("\\x85")]
    [InlineData("\\r")]
    [InlineData("\\n")]
    public void A_line_or_paragraph_separator_in_a_title_or_a_source_stays_inside_its_comment(string escape)
    {
        // YAML double-quoted escapes put the separator itself into the title and the source
        var text = Valid.Replace("\"A tiny family for diagnostics tests\"", $"\"A tiny{escape}family = 1; }} class X {{\"")
            .Replace("A: { width: 8 }", $"A: {{ width: 8, published: {{ params: {{ value: 2.5K, source: \"Table{escape}1\" }} }} }}");
        Assert.DoesNotContain(Check(text), d => d.Severity == DiagnosticSeverity.Error);
    }

    [Fact]
    public void A_newline_in_a_stage_name_stays_inside_its_comment_and_string() =>
        Assert.DoesNotContain(Check(Valid.Replace("  s1:", "  \"s\\n1\\u2028two\":")), d => d.Severity == DiagnosticSeverity.Error);

    [Fact]
    public void Module_names_that_map_to_the_same_csharp_identifier_compile() =>
        Assert.Empty(Check(Valid.Replace("{ name: bn, kind: batchnorm }",
            "{ name: a_b, kind: batchnorm }\n    - { name: a.b, kind: batchnorm }\n    - { name: _a_b, kind: batchnorm }")));

    [Fact]
    public void Block_names_that_map_to_the_same_class_name_compile() =>
        Assert.Empty(Check(Valid.Replace("stages:", """
            blocks:
              norm2: { rows: [ { name: bn, kind: batchnorm } ] }
              norm: { rows: [ { kind: relu } ] }
              norm_: { rows: [ { kind: gelu } ] }
              blocks: { rows: [ { kind: sigmoid } ] }
            stages:
            """).Replace("- { name: bn, kind: batchnorm }", "- { name: n1, kind: norm }\n    - { name: n2, kind: norm_ }\n    - { name: n3, kind: norm2 }\n    - { name: n4, kind: blocks }")));

    [Theory]
    [InlineData("    - { kind: map_to_tokens }\n")]
    [InlineData("    - { kind: tok }\n")]
    [InlineData("    - { kind: tok }\n    - { name: ln, kind: layernorm }\n")]
    [InlineData("    - { kind: map_to_tokens }\n    - { kind: mean, dims: [1] }\n")]
    public void A_stage_whose_output_stays_tokens_without_a_head_generates_code_that_compiles(string rows) =>
        Assert.Empty(Check(Valid.Replace("stages:", "blocks:\n  tok: { rows: [ { kind: map_to_tokens }, { name: ln, kind: layernorm } ] }\nstages:")
            .Replace("    - { name: bn, kind: batchnorm }\n", "    - { name: bn, kind: batchnorm }\n" + rows)
            .Replace("head:\n  - { kind: mean_pool }\n  - { name: fc, kind: linear, out: 10, bias: true }\n", "")));

    [Fact]
    public void Every_member_the_generator_writes_into_a_family_or_variant_class_is_a_reserved_name()
    {
        // a variant may not take the name of a member of its family's class or of its own class (CSharp.GeneratedMembers):
        // the list must name every member the emitter writes, fields named after module paths aside (they are renamed)
        var source = Assert.Single(DiagnosticTests.Run(Valid).Results[0].GeneratedSources).SyntaxTree.GetRoot();
        var family = source.DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.ClassDeclarationSyntax>().First();
        var variants = family.Members.OfType<Microsoft.CodeAnalysis.CSharp.Syntax.ClassDeclarationSyntax>().Where(c => c.Identifier.Text == "A").ToList();
        var members = family.Members.Concat(variants.SelectMany(v => v.Members)).Except(variants)
            .SelectMany(m => m switch
            {
                Microsoft.CodeAnalysis.CSharp.Syntax.FieldDeclarationSyntax f => f.Declaration.Variables.Select(v => v.Identifier.Text),
                Microsoft.CodeAnalysis.CSharp.Syntax.PropertyDeclarationSyntax p => new[] { p.Identifier.Text },
                Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax p => new[] { p.Identifier.Text },
                Microsoft.CodeAnalysis.CSharp.Syntax.BaseTypeDeclarationSyntax t => new[] { t.Identifier.Text },
                _ => System.Array.Empty<string>(),
            })
            .Where(name => !name.StartsWith("_", StringComparison.Ordinal)).Distinct().ToList();
        Assert.Contains("Create", members);
        Assert.Contains("forward", members);
        Assert.Empty(members.Except(ArchDsl.Dsl.Text.CSharp.GeneratedMembers));
    }
}
