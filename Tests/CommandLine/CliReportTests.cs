using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using ArchDsl.Dsl.Costs;
using ArchDsl.Tests.Support;
using Xunit;

namespace ArchDsl.Tests.CommandLine;

/// <summary>The CLI for scripts and people: `--json` documents of docs/cli-json.md, `summary` on files, assemblies, sizes,
/// batches and depths with torchinfo-like totals, and one-line errors for a user's mistakes.</summary>
public class CliReportTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("archdsl-cli-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string UserFile => Path.Combine(Repository.TestData, "user-project", "ResNet18.arch.yaml");

    private static JsonElement Json(params string[] args)
    {
        var (exit, lines, error) = Cli.Run(args);
        Assert.True(exit == 0, error);
        return JsonDocument.Parse(string.Join("\n", lines)).RootElement;
    }

    [Fact]
    public void Check_json_locates_each_diagnostic_and_counts_errors()
    {
        string text = File.ReadAllText(UserFile);
        string broken = Path.Combine(_folder, "ResNet18.arch.yaml");
        File.WriteAllText(broken, text.Replace("planes: 128,", "planez: 128,"));
        var (exit, lines, _) = Cli.Run("check", "--json", broken, UserFile);
        Assert.Equal(1, exit);
        var report = JsonDocument.Parse(string.Join("\n", lines)).RootElement;
        Assert.Equal(1, report.GetProperty("errors").GetInt32());
        var files = report.GetProperty("files").EnumerateArray().ToList();
        var diagnostic = files[0].GetProperty("diagnostics").EnumerateArray().Single();
        var textLines = text.Split('\n');
        int line = Array.FindIndex(textLines, l => l.Contains("planes: 128,"));
        Assert.Equal("ADSL002", diagnostic.GetProperty("id").GetString());
        Assert.Equal("error", diagnostic.GetProperty("severity").GetString());
        Assert.Equal(line + 1, diagnostic.GetProperty("line").GetInt32());
        Assert.Equal(textLines[line].IndexOf("planes: 128,", StringComparison.Ordinal) + 1, diagnostic.GetProperty("column").GetInt32());
        Assert.Empty(files[0].GetProperty("variants").EnumerateArray());
        // the unbroken file: no diagnostic, its variants with their counts (R18: torchvision 0.14's resnet18, 11,689,512)
        Assert.Empty(files[1].GetProperty("diagnostics").EnumerateArray());
        Assert.Contains(files[1].GetProperty("variants").EnumerateArray(), v => v.GetProperty("name").GetString() == "R18" && v.GetProperty("params").GetInt64() == 11_689_512);
    }

    [Fact]
    public void Summary_json_rows_add_up_to_totals_like_torchinfos()
    {
        var report = Json("summary", "casvit.xs", "--json");
        Assert.Equal("CasViT.XS", report.GetProperty("model").GetString());
        var totals = report.GetProperty("totals");
        Assert.Equal(3_200_700, totals.GetProperty("params").GetInt64()); // MODEL_ZOO.md's exact count of rcvit_xs()
        Assert.Equal(totals.GetProperty("params").GetInt64(), totals.GetProperty("trainable").GetInt64());
        Assert.Equal(4 * 3_200_700, totals.GetProperty("paramBytes").GetInt64());
        Assert.Equal(4 * 3 * 224 * 224, totals.GetProperty("inputBytes").GetInt64());
        var rows = report.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(totals.GetProperty("params").GetInt64(), rows.Sum(r => r.GetProperty("params").GetInt64()));
        Assert.Equal(totals.GetProperty("macs").GetInt64(), rows.Sum(r => r.GetProperty("macs").GetInt64()));
        var trace = ArchDsl.Architectures.CasViT.Info.Analysis.Variant("XS").Trace;
        Assert.Equal(trace.Macs(CountingConvention.Macs), totals.GetProperty("macs").GetInt64());
        Assert.Equal(4 * trace.Entries.Sum(e => e.Elements), totals.GetProperty("activationBytes").GetInt64());
    }

    [Fact]
    public void Summary_of_a_file_at_a_non_square_size_and_batch_scales_shapes_and_costs()
    {
        var report = Json("summary", UserFile, "--variant", "r18", "--size", "224x160", "--batch", "8", "--convention", "fvcore", "--json");
        Assert.Equal(new[] { 8, 3, 224, 160 }, report.GetProperty("input").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(new[] { 8, 1000 }, report.GetProperty("output").EnumerateArray().Select(e => e.GetInt32()));
        var variant = ArchDsl.Dsl.Analysis.FamilyAnalysis.Run(File.ReadAllText(UserFile)).Variant("R18");
        Assert.Equal(8 * variant.At(224, 160).Macs(CountingConvention.Fvcore), report.GetProperty("totals").GetProperty("macs").GetInt64());
        Assert.Equal("fvcore", report.GetProperty("convention").GetString());
    }

    [Fact]
    public void Summary_depth_groups_operations_by_module_path_segments()
    {
        var one = Json("summary", "ResNet.R18", "--depth", "1", "--json");
        var paths = one.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("path").GetString()!).ToList();
        // torchvision's resnet18 children: conv1, bn1, relu, maxpool, layer1..4, avgpool, fc (avgpool and relu have no path of their own here when they are functional)
        Assert.All(paths, p => Assert.DoesNotContain(".", p));
        Assert.Equal(new[] { "conv1", "bn1", "relu", "maxpool", "layer1", "layer2", "layer3", "layer4" }, paths.Take(8));
        Assert.Equal(11_689_512, one.GetProperty("rows").EnumerateArray().Sum(r => r.GetProperty("params").GetInt64()));
        var two = Json("summary", "ResNet.R18", "--depth", "2", "--json");
        Assert.Contains(two.GetProperty("rows").EnumerateArray(), r => r.GetProperty("path").GetString() == "layer1.0");
    }

    [Fact]
    public void Summary_finds_families_in_any_assembly()
    {
        string assembly = typeof(ArchDsl.Architectures.CasViT).Assembly.Location;
        var report = Json("summary", "MobileNetV2.W100", "--assembly", assembly, "--json");
        Assert.Equal(3_504_872, report.GetProperty("totals").GetProperty("params").GetInt64()); // torchvision 0.14 mobilenet_v2
    }

    [Fact]
    public void Zoo_json_reports_every_published_number_with_its_verdict()
    {
        var report = Json("zoo", "--family", "CasViT", "--no-forward", "--json");
        var models = report.GetProperty("models").EnumerateArray().ToList();
        Assert.Equal(new[] { "CasViT.XS", "CasViT.S", "CasViT.M", "CasViT.T" }, models.Select(m => m.GetProperty("model").GetString()));
        Assert.Equal(0, report.GetProperty("mismatches").GetInt32());
        var xs = models[0];
        Assert.Equal(JsonValueKind.Null, xs.GetProperty("forwardMs").ValueKind);
        var parameters = xs.GetProperty("published").EnumerateArray().Single(p => p.GetProperty("metric").GetString() == "params");
        Assert.Equal("agrees", parameters.GetProperty("verdict").GetString());
        Assert.Equal(3_200_700, parameters.GetProperty("analytic").GetDouble());
        var top1 = xs.GetProperty("published").EnumerateArray().Single(p => p.GetProperty("metric").GetString() == "top1");
        Assert.Equal(78.7, top1.GetProperty("value").GetDouble()); // MODEL_ZOO.md (Dec 2024)
    }

    [Theory]
    [InlineData("no model 'casvit.xz'; did you mean CasViT.XS", "summary", "casvit.xz")]
    [InlineData("missing.arch.yaml: no such file", "summary", "missing.arch.yaml")]
    [InlineData("no model 'casvit.fashionmnistx'; did you mean CasViT.FashionMnist?", "train", "casvit.fashionmnistx")]
    [InlineData("no model 'resnet.r181'; did you mean ResNet.R18", "train-step", "resnet.r181")]
    [InlineData("no family or model 'CasVit.XZ'", "zoo", "--family", "CasVit.XZ", "--no-forward")]
    [InlineData("--size 224x: expected 224 or HxW", "summary", "CasViT.XS", "--size", "224x")]
    [InlineData("--convention flops: unknown", "summary", "CasViT.XS", "--convention", "flops")]
    [InlineData("VisionTransformer.B_16 does not take 100×100", "summary", "VisionTransformer.b_16", "--size", "100")]
    public void A_users_mistake_is_one_line_and_exit_code_1(string message, params string[] args)
    {
        var (exit, lines, error) = Cli.Run(args);
        Assert.Equal(1, exit);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(message, error);
        Assert.DoesNotContain("   at ", error);
        Assert.All(lines, l => Assert.DoesNotContain("   at ", l));
    }
}
