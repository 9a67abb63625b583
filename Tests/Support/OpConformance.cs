using System.Collections.Generic;
using System.Linq;
using System.Text;
using ArchDsl.Dsl.Costs;
using ArchDsl.Runtime;

namespace ArchDsl.Tests.Support;

/// <summary>
/// The runtime's recorded operations (<see cref="OpRecorder"/>) against the Dsl's trace of the same network, module
/// path by module path and in order: each side becomes a list of steps, an op and its size (multiply-accumulates
/// for products, values otherwise, per image), so a runtime module that skips, adds or resizes an operation the
/// trace describes (or the reverse) shows as a difference at its path.
/// </summary>
public static class OpConformance
{
    /// <summary>One operation: <c>conv2d</c> with its MACs, <c>relu</c> with the values it maps, …</summary>
    public sealed record Step(string Op, long Size)
    {
        public override string ToString() => $"{Op} {Size:N0}";
    }

    /// <summary>The trace's steps per module path, paths taken relative to <paramref name="prefix"/>. An op the trace
    /// places at a path that is no runtime module (an inline expression, a tensor owner) goes to the innermost module
    /// of <paramref name="modules"/> above it, as the recorder places the op.</summary>
    public static Dictionary<string, List<Step>> FromTrace(IEnumerable<CostEntry> entries, IReadOnlySet<string> modules, string prefix = "")
    {
        var steps = new Dictionary<string, List<Step>>();
        foreach (var e in entries)
        {
            if (e.Op == OpKind.Parameter) continue;   // a learnable tensor is no operation
            var step = e.Op switch
            {
                OpKind.Conv => new Step("conv2d", e.Macs),
                OpKind.ConvTranspose => new Step("conv_transpose2d", e.Macs),
                OpKind.Linear => new Step("linear", e.Macs),
                OpKind.Matmul => new Step("matmul", e.Macs),
                OpKind.BatchNorm => new Step("batch_norm", e.Elements),
                OpKind.LayerNorm => new Step("layer_norm", e.Elements),
                OpKind.GroupNorm => new Step("group_norm", e.Elements),
                OpKind.Activation => new Step(e.Detail, e.Elements),
                OpKind.Elementwise => new Step("elementwise", e.Elements),
                OpKind.Softmax => new Step("softmax", e.Elements),
                OpKind.AdaptiveAvgPool => new Step("adaptive_avg_pool2d", e.Elements),
                OpKind.Mean => new Step("mean", e.Elements),
                OpKind.Sum => new Step("sum", e.Elements),
                OpKind.MaxPool => new Step("max_pool2d", e.Elements),
                OpKind.AvgPool => new Step("avg_pool2d", e.Elements),
                OpKind.Interpolate => new Step("interpolate", e.Elements),
                _ => new Step(e.Op.ToString(), e.Elements),
            };
            Add(steps, Owner(Relative(e.Path, prefix), modules), step);
        }
        return steps;
    }

    /// <summary>The runtime's steps per module path, for a forward pass over <paramref name="batch"/> images.</summary>
    public static Dictionary<string, List<Step>> FromRecords(IEnumerable<OpRecord> records, long batch)
    {
        var steps = new Dictionary<string, List<Step>>();
        foreach (var r in records)
        {
            // the trace counts pools and reductions by the values they read, everything else by the values it writes
            long read = r.Inputs.Length > 0 ? r.Inputs[0].Aggregate(1L, (n, d) => n * d) : 0;
            var step = r.Op switch
            {
                "conv2d" or "conv_transpose2d" or "linear" => new Step(r.Op, r.Macs / batch),
                "matmul" or "bmm" => new Step("matmul", r.Macs / batch),
                "batch_norm" or "layer_norm" or "group_norm" or "softmax" or "interpolate" => new Step(r.Op, r.Elements / batch),
                "grid_sample" => new Step("interpolate", r.Elements / batch),   // resampling at given points, as the trace counts it
                "relu" or "relu6" or "gelu" or "silu" or "sigmoid" or "tanh" or "hardswish" or "hardsigmoid" => new Step(r.Op, r.Elements / batch),
                "gelu_tanh" => new Step("gelu", r.Elements / batch),
                "adaptive_avg_pool2d" or "max_pool2d" or "avg_pool2d" or "mean" or "sum" => new Step(r.Op, read / batch),
                // everything else, topk included (partial_attention's sort: traced as an element-wise step of the k
                // values it returns), by the values it writes
                _ => new Step("elementwise", r.Elements / batch),
            };
            Add(steps, r.Path, step);
        }
        return steps;
    }

    /// <summary>Every module path whose steps differ, each with both lists; empty when they agree.</summary>
    public static IReadOnlyList<string> Differences(Dictionary<string, List<Step>> trace, Dictionary<string, List<Step>> runtime)
    {
        var differences = new List<string>();
        foreach (var path in trace.Keys.Union(runtime.Keys).OrderBy(p => p, System.StringComparer.Ordinal))
        {
            var expected = trace.GetValueOrDefault(path) ?? new List<Step>();
            var actual = runtime.GetValueOrDefault(path) ?? new List<Step>();
            if (expected.SequenceEqual(actual)) continue;
            int at = 0;
            while (at < expected.Count && at < actual.Count && expected[at] == actual[at]) at++;
            var text = new StringBuilder($"{(path.Length == 0 ? "(root)" : path)}: op {at + 1} differs; the trace has ")
                .Append(Describe(expected, at)).Append(", the runtime ran ").Append(Describe(actual, at));
            differences.Add(text.ToString());
        }
        return differences;
    }

    private static string Describe(List<Step> steps, int from) =>
        from >= steps.Count ? (from == 0 ? "nothing" : $"nothing after op {from}")
            : "[" + string.Join(", ", steps.Skip(from).Take(6)) + (steps.Count - from > 6 ? ", …" : "") + "]";

    private static string Owner(string path, IReadOnlySet<string> modules)
    {
        while (path.Length > 0 && !modules.Contains(path)) path = path.Contains('.') ? path[..path.LastIndexOf('.')] : "";
        return path;
    }

    private static string Relative(string path, string prefix) =>
        prefix.Length == 0 ? path : path == prefix ? "" : path.StartsWith(prefix + ".", System.StringComparison.Ordinal) ? path[(prefix.Length + 1)..] : path;

    private static void Add(Dictionary<string, List<Step>> steps, string path, Step step)
    {
        if (!steps.TryGetValue(path, out var list)) steps[path] = list = new List<Step>();
        list.Add(step);
    }
}
