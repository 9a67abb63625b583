using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using ArchDsl.Dsl.Blocks;
using ArchDsl.Tests.Support;
using Json.Schema;
using Xunit;

namespace ArchDsl.Tests.Dsl;

/// <summary>The JSON Schema of the files (schema/archdsl.schema.json, written by <c>archdsl schema</c>) and the
/// <c>archdsl kinds</c> listing, both generated from the kind catalogue (issue 9).</summary>
public sealed class SchemaTests
{
    private static readonly string SchemaPath = Path.Combine(Repository.Root, "schema", "archdsl.schema.json");
    private static readonly Lazy<JsonSchema> Schema = new(() => JsonSchema.FromFile(SchemaPath));

    [Fact]
    public void The_committed_schema_is_what_archdsl_schema_generates()
    {
        var (exit, lines, error) = Cli.Run("schema");
        Assert.True(exit == 0, error);
        Assert.True(string.Join("\n", lines) == File.ReadAllText(SchemaPath),
            "schema/archdsl.schema.json is out of date: run archdsl schema -o schema/archdsl.schema.json");
    }

    /// <summary>The zoo, its block libraries, the standard library, the test fixtures and the user-project sample.</summary>
    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        string[] folders = ["Architectures", "Dsl/Library", "Tests/Models/Fixtures", "Tests/Data/user-project"];
        foreach (var folder in folders)
            foreach (var file in Directory.GetFiles(Path.Combine(Repository.Root, folder), "*.yaml").OrderBy(f => f, StringComparer.Ordinal))
                data.Add(Path.GetRelativePath(Repository.Root, file));
        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Every_zoo_library_and_fixture_file_satisfies_the_schema(string file)
    {
        var errors = Errors(File.ReadAllText(Path.Combine(Repository.Root, file)));
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Fact]
    public void Zoo_files_point_editors_to_the_schema()
    {
        foreach (var file in Directory.GetFiles(Repository.Architectures, "*.yaml"))
            Assert.Equal("# yaml-language-server: $schema=../schema/archdsl.schema.json", File.ReadLines(file).First());
    }

    /// <summary>A small valid family; each invalid case changes one thing.</summary>
    private const string Valid = """
        family: Tiny
        title: "a tiny network"
        input: { channels: 3, size: 32 }
        vars: { width: 8 }
        defaults:
          conv2d: { bias: false }
        blocks:
          unit:
            params:
              k: { type: int, min: 1, max: 7, doc: "kernel" }
            rows:
              - { kind: conv2d, out: in_channels, kernel: k, padding: "k // 2" }
        stages:
          s1:
            - { name: stem, kind: conv2d, out: width, kernel: 3, stride: 2, padding: 1 }
            - kind: residual
              rows:
                - { kind: unit, k: 3 }
            - kind: parallel
              branches: [ [ { kind: relu } ], [ { kind: gelu } ] ]
              merge: add
            - { kind: rearrange, pattern: "b c (h ph) w -> b c h (w ph)", ph: 2 }
        variants:
          A: { width: 16, published: { params: { value: 1.2M, source: "made up for the test" } } }
        """;

    [Fact]
    public void The_valid_sample_satisfies_the_schema() => Assert.Empty(Errors(Valid));

    [Theory]
    [InlineData("family: Tiny", "familly: Tiny", "a misspelt top-level key")]
    [InlineData("variants:\n  A: { width: 16, published: { params: { value: 1.2M, source: \"made up for the test\" } } }", "", "no variants")]
    [InlineData("kind: conv2d, out: width", "out: width", "a row without kind")]
    [InlineData("kernel: 3, stride: 2", "kernal: 3, stride: 2", "an unknown parameter of a C# kind")]
    [InlineData("kernel: 3, stride: 2", "kernel: 0, stride: 2", "a literal below the parameter's range")]
    [InlineData("stride: 2, padding: 1", "stride: 2, padding: 1, bias: 3", "a number where a bool belongs")]
    [InlineData("merge: add", "merge: sum", "an unknown merge")]
    [InlineData("{ kind: relu }", "{ kind: relu, rows: [] }", "combinator keys on a primitive")]
    [InlineData("conv2d: { bias: false }", "conv2d: { biass: false }", "an unknown parameter in defaults")]
    [InlineData("type: int, min: 1", "type: integer, min: 1", "an unknown parameter type")]
    [InlineData("published: { params:", "published: { flops:", "an unknown published metric")]
    [InlineData("input: { channels: 3, size: 32 }", "input: { channels: 3 }", "an input without size")]
    public void Invalid_files_are_rejected(string valid, string invalid, string what)
    {
        Assert.Contains(valid, Valid);
        Assert.True(Errors(Valid.Replace(valid, invalid)).Count > 0, $"{what} was accepted");
    }

    [Fact]
    public void Archdsl_kinds_lists_every_kind_and_parameter_of_the_catalogue()
    {
        var (exit, lines, error) = Cli.Run("kinds");
        Assert.True(exit == 0, error);
        var cells = lines.Select(l => l.Split('│', StringSplitOptions.TrimEntries)).Where(c => c.Length > 3).ToList();
        foreach (var kind in KindCatalogue.Builtin.All)
        {
            int at = cells.FindIndex(c => c[1] == kind.Name);
            Assert.True(at >= 0, $"{kind.Name} is not listed");
            // rows of its parameters follow, some docs wrapped onto continuation lines
            var parameters = cells.Skip(at + 1).TakeWhile(c => c[1] == "").Select(c => c[2]).Where(p => p != "").ToList();
            Assert.Equal(kind.Params.Select(p => p.Name), parameters);
        }
    }

    /// <summary>The errors of the evaluation, without those of alternatives a valid enclosing schema did not need (anyOf
    /// branches at the same place) and of <c>if</c> conditions (which select a clause, they do not fail).</summary>
    private static List<string> Errors(string yaml)
    {
        var json = JsonSerializer.SerializeToElement(YamlToJson.Convert(yaml));
        var result = Schema.Value.Evaluate(json, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (result.IsValid) return [];
        var details = (result.Details ?? []).Select(d => (Path: d.EvaluationPath + "/", At: d.InstanceLocation + "/", d.IsValid, d.Errors)).ToList();
        var valid = details.Where(d => d.IsValid).ToList();
        return details.Where(d => d.Errors is not null && !d.Path.Contains("/if/", StringComparison.Ordinal))
            .Where(d => !valid.Any(v => d.Path.Length > v.Path.Length && d.Path.StartsWith(v.Path, StringComparison.Ordinal)
                                        && d.At.StartsWith(v.At, StringComparison.Ordinal)))
            .SelectMany(d => d.Errors!.Select(e => $"{d.At.TrimEnd('/')}: {e.Value}")).ToList();
    }
}
