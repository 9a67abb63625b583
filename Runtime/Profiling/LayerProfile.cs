using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;

namespace ArchDsl.Runtime;

/// <summary>
/// Where a forward pass spends its time, by layer kind: forward hooks time every leaf module (a layer without children)
/// over a few passes; what remains of the pass is the blocks' own operations (adds, products, reshapes, attention
/// matmuls). Each kind also says what the inference plan does with it (<see cref="Module.optimizations"/>).
/// </summary>
public static class LayerProfile
{
    public sealed record Row(string Kind, string Plan, int Calls, double Milliseconds);

    /// <summary>Times <paramref name="passes"/> calls of <paramref name="model"/> on <paramref name="input"/> (after one
    /// untimed call) and returns the milliseconds per pass of each kind, slowest first, the remainder last as
    /// "other operations".</summary>
    public static IReadOnlyList<Row> Measure(Module<Tensor, Tensor> model, Tensor input, int passes = 3)
    {
        var totals = new Dictionary<(string, string), (int Calls, double Ms)>();
        var started = new Dictionary<Module, long>(ReferenceEqualityComparer.Instance);
        var handles = new List<HookHandle>();
        model.call(input).Dispose();
        foreach (var leaf in model.modules().OfType<Module<Tensor, Tensor>>().Where(m => !m.children().Any()))
        {
            var key = (Kind(leaf), Plan(leaf));
            handles.Add(leaf.register_forward_pre_hook((m, _) => started[m] = Stopwatch.GetTimestamp()));
            handles.Add(leaf.register_forward_hook((m, _, _) =>
            {
                double ms = Stopwatch.GetElapsedTime(started[m]).TotalMilliseconds;
                totals[key] = totals.TryGetValue(key, out var t) ? (t.Calls + 1, t.Ms + ms) : (1, ms);
            }));
        }
        double total;
        try
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < passes; i++) model.call(input).Dispose();
            total = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        finally
        {
            foreach (var handle in handles) handle.Dispose();
        }
        var rows = totals.Select(t => new Row(t.Key.Item1, t.Key.Item2, t.Value.Calls / passes, t.Value.Ms / passes))
            .OrderByDescending(r => r.Milliseconds).ToList();
        rows.Add(new Row("other operations", "", 0, Math.Max(0, total / passes - rows.Sum(r => r.Milliseconds))));
        return rows;
    }

    /// <summary>A leaf's kind, convolutions by shape (their costs differ by kind): "Conv2d 1×1", "Conv2d depthwise 3×3".</summary>
    public static string Kind(Module module) => module switch
    {
        Conv2d c when c.groups == c.in_channels && c.groups > 1 => $"Conv2d depthwise {c.kernel_size.h}×{c.kernel_size.w}",
        Conv2d c when c.groups > 1 => $"Conv2d grouped {c.kernel_size.h}×{c.kernel_size.w}",
        Conv2d c => $"Conv2d {c.kernel_size.h}×{c.kernel_size.w}",
        _ => module.GetType().Name,
    };

    /// <summary>What the inference plan does with this module now ("" when it runs as written).</summary>
    public static string Plan(Module module) => module is IPlanned planned ? planned.Plan : "";
}

/// <summary>A layer the inference plan can change; <see cref="Plan"/> says how it runs now ("" as written).</summary>
public interface IPlanned
{
    string Plan { get; }
}
