using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using ArchDsl.Tests.Support;
using Xunit;

namespace ArchDsl.Tests.Runtime;

/// <summary><see cref="PortableWeights"/> against the Python twin that produced the torchvision golden data
/// (scripts/golden/torchvision_classics.py): for every case of Tests/Data/golden/torchvision/meta.json, every
/// state_dict entry (shapes from the case's key list) must sum to the recorded checksum and the first entry must
/// start with the recorded values. No model is built.</summary>
public sealed class PortableWeightsTests
{
    private static string GoldenDir => Path.Combine(Repository.Golden, "torchvision");
    private static string KeysDir => Path.Combine(Repository.Keys, "torchvision");

    private sealed record KeyRow(string Key, string Dtype, long[] Shape);

    private static JsonElement Meta()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(GoldenDir, "meta.json")));
        return document.RootElement.Clone();
    }

    private static JsonElement Case(string name) => Meta().GetProperty("cases").GetProperty(name);

    private static string[] CaseNames() => Meta().GetProperty("cases").EnumerateObject().Select(c => c.Name).ToArray();

    public static TheoryData<string> Cases() => new(CaseNames());

    private static List<KeyRow> Rows(string name) =>
        File.ReadAllLines(Path.Combine(KeysDir, name + ".keys.tsv"))
            .Where(line => line.Length > 0)
            .Select(line =>
            {
                var parts = line.Split('\t');
                Assert.Equal(3, parts.Length);
                var shape = parts[2] == "scalar" ? [] : parts[2].Split('x').Select(s => long.Parse(s, CultureInfo.InvariantCulture)).ToArray();
                return new KeyRow(parts[0], parts[1], shape);
            })
            .ToList();

    [Fact]
    public void Meta_lists_the_five_cases()
    {
        Assert.Equal(new[] { "resnet_basic_a", "resnet_bottleneck_a", "mobilenet_v2_a", "vit_a", "convnext_a" }, CaseNames());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Values_match_the_python_checksums(string name)
    {
        var rows = Rows(name);
        var checksums = Case(name).GetProperty("checksums").EnumerateObject().ToList();
        Assert.Equal(rows.Select(r => r.Key), checksums.Select(c => c.Name));

        var failures = new List<string>();
        for (int index = 0; index < rows.Count; index++)
        {
            var row = rows[index];
            double expected = checksums[index].Value.GetDouble();
            if (row.Dtype == "int64")
            {
                // integer entries (num_batches_tracked) are 0 and draw no numbers
                if (expected != 0) failures.Add($"{row.Key}: int64 entry with checksum {expected}");
                continue;
            }
            Assert.Equal("float32", row.Dtype);
            var values = PortableWeights.Values(row.Key, row.Shape, index);
            Assert.Equal(row.Shape.Aggregate(1L, (n, s) => n * s), values.Length);
            var (sum, sumAbs) = CompensatedSums(values);
            // Python sums exactly (math.fsum) and compensated summation is as good here: the values themselves
            // are identical, so anything beyond rounding noise (relative to the sum of magnitudes, since many
            // sums are near 0) is a wrong value.
            if (Math.Abs(sum - expected) > 1e-9 * sumAbs)
                failures.Add($"{row.Key} (entry {index}, [{string.Join(", ", row.Shape)}]): sum {sum:R}, Python {expected:R}");
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {rows.Count} entries differ:\n" + string.Join("\n", failures));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void First_values_are_exact(string name)
    {
        var first = Rows(name)[0];
        var expected = Case(name).GetProperty("first").EnumerateArray().Select(e => (float)e.GetDouble()).ToArray();
        var actual = PortableWeights.Values(first.Key, first.Shape, 0).Take(3).ToArray();
        Assert.Equal(expected, actual);
    }

    /// <summary>The key list is consistent with the recorded parameter count: every entry except BatchNorm's
    /// running statistics is a parameter.</summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void Key_list_holds_the_parameter_count(string name)
    {
        string[] buffers = ["running_mean", "running_var", "num_batches_tracked"];
        long parameters = Rows(name)
            .Where(r => !buffers.Any(b => r.Key.EndsWith(b, StringComparison.Ordinal)))
            .Sum(r => r.Shape.Aggregate(1L, (n, s) => n * s));
        Assert.Equal(Case(name).GetProperty("params").GetInt64(), parameters);
    }

    /// <summary>Neumaier's compensated sum, and the sum of magnitudes (the scale of the rounding error).</summary>
    private static (double Sum, double SumAbs) CompensatedSums(float[] values)
    {
        double sum = 0, compensation = 0, sumAbs = 0;
        foreach (float f in values)
        {
            double v = f;
            double t = sum + v;
            compensation += Math.Abs(sum) >= Math.Abs(v) ? (sum - t) + v : (v - t) + sum;
            sum = t;
            sumAbs += Math.Abs(v);
        }
        return (sum + compensation, sumAbs);
    }
}
