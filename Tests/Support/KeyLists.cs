using System.Collections.Generic;
using System.IO;
using System.Linq;
using ArchDsl.Runtime;

namespace ArchDsl.Tests.Support;

/// <summary>state_dict key lists in the format of Tests/Data/keys: key, dtype and shape, tab-separated, in order.</summary>
public static class KeyLists
{
    /// <summary>A key list of Tests/Data/keys by name, e.g. "rcvit_xs" or "derived/mobilevit_xs".</summary>
    public static List<string> Read(string name) =>
        File.ReadAllLines(Path.Combine(Repository.Keys, name + ".keys.tsv")).Where(l => l.Length > 0).ToList();

    /// <summary>A model's state_dict in the same format.</summary>
    public static List<string> Of(Module model) =>
        model.state_dict().Select(kv => $"{kv.Key}\t{Dtype(kv.Value)}\t{Shape(kv.Value)}").ToList();

    private static string Dtype(Tensor t) => t.dtype switch
    {
        ScalarType.Float32 => "float32",
        ScalarType.Int64 => "int64",
        var other => other.ToString().ToLowerInvariant(),
    };

    private static string Shape(Tensor t) => t.shape.Length == 0 ? "scalar" : string.Join("x", t.shape);
}
