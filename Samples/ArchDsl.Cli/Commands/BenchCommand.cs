using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Linq;
using ArchDsl.Cli.Reports;
using ArchDsl.Dsl.Costs;
using ArchDsl.Runtime;

namespace ArchDsl.Cli.Commands;

/// <summary>
/// Forward latency of every variant at its declared resolution (eval, inference mode) without and with the inference
/// plan (<see cref="InferenceOptimizations"/>), as milliseconds and as achieved GMAC/s beside the GMAC/s of a large
/// matmul measured in the same run at the same thread count: the fraction of what this machine's BLAS attains. A timed
/// harness: warm-up passes, then the median of repeated passes, the two plans taking turns.
/// </summary>
internal static class BenchCommand
{
    private const int GemmSize = 2048;

    public static Command Create()
    {
        var family = new Option<string?>("--family", "-f") { Description = "only this family (or Family.Variant)" };
        var batches = new Option<int[]>("--batch", "-b") { Description = "batch sizes", DefaultValueFactory = _ => new[] { 1, 8 }, AllowMultipleArgumentsPerToken = true };
        var repeat = new Option<int>("--repeat", "-r") { Description = "timed passes per measurement (median reported)", DefaultValueFactory = _ => 5 };
        var threads = new Option<int[]>("--threads", "-t")
        {
            Description = "libtorch intra-op thread counts (default 1)",
            DefaultValueFactory = _ => new[] { 1 },
            AllowMultipleArgumentsPerToken = true,
        };
        var markdown = new Option<bool>("--markdown") { Description = "print GitHub markdown (for the README)" };
        var explain = new Option<bool>("--explain") { Description = "per model, batch and thread count: time by layer kind, and what the inference plan does with each" };
        var json = new Option<bool>("--json") { Description = "print one JSON document (docs/cli-json.md)" };
        var command = new Command("bench", "forward latency of every variant without and with the inference plan, against a large matmul's GMAC/s")
        {
            family, batches, repeat, threads, markdown, explain, json,
        };
        command.SetAction(parse => Run(parse.GetValue(family), parse.GetValue(batches)!, parse.GetValue(repeat), parse.GetValue(threads)!,
            parse.GetValue(markdown), parse.GetValue(explain), parse.GetValue(json)));
        return command;
    }

    private static int Run(string? filter, int[] batches, int repeat, int[] threads, bool markdown, bool explain, bool json)
    {
        if (repeat < 1 || batches.Length == 0 || batches.Any(b => b < 1) || threads.Length == 0 || threads.Any(t => t < 1))
        {
            Console.Error.WriteLine("archdsl bench: --repeat, --batch and --threads take positive numbers");
            return 1;
        }
        if (Zoo.Selection(filter) is not { } selected) return 1;
        using var guard = torch.inference_mode();
        var gemmBefore = threads.ToDictionary(t => t, t => Gemm(t, repeat));
        var rows = new List<BenchRow>();
        Progress.ForEach("bench", selected, s => $"{s.Family.Name}.{s.Variant}", selection =>
        {
            try
            {
                Measure(selection);
            }
            catch (Exception e) when (e is TorchException or ShapeMismatchException)
            {
                throw new InvalidOperationException($"{selection.Family.Name}.{selection.Variant}: {e.Message}", e);
            }
        });

        void Measure((ArchFamilyInfo Family, string Variant) selection)
        {
            var (family, variantName) = selection;
            using var model = family.Create(variantName);
            var trace = model.Analysis.Trace;
            foreach (int batch in batches)
            {
                using var input = torch.randn([batch, trace.Variant.InChannels, trace.Height, trace.Width], seed: 0);
                long macs = batch * trace.Macs(CountingConvention.Macs);
                double dense = DenseShare(trace);
                foreach (int t in threads)
                {
                    torch.set_num_threads(t);
                    double Time(InferenceOptimizations plan)
                    {
                        model.eval(plan);
                        return Timing.Median(repeat, warmup: 2, () => model.call(input).Dispose());
                    }
                    // the plans take turns, so that a change of the machine's load reaches both
                    var (unplanned, planned) = (new List<double>(), new List<double>());
                    for (int round = 0; round < 2; round++)
                    {
                        unplanned.Add(Time(InferenceOptimizations.None));
                        planned.Add(Time(InferenceOptimizations.All));
                    }
                    var layers = explain ? LayerProfile.Measure(model, input).Select(r => new BenchLayer(r.Kind, r.Plan, r.Calls, r.Milliseconds)).ToList() : null;
                    rows.Add(new BenchRow(model.Analysis.FullName, trace.Height, batch, t, unplanned.Min(), planned.Min(), macs, dense, layers));
                }
            }
        }
        var gemm = threads.ToDictionary(t => t, t => (gemmBefore[t] + Gemm(t, repeat)) / 2);
        foreach (var r in rows)
        {
            r.Gmacs = r.Macs / (Math.Min(r.PlanMs, r.NoPlanMs) / 1e3) / 1e9;
            r.PercentOfGemm = 100 * r.Gmacs / gemm[r.Threads];
        }

        if (json)
        {
            JsonReport.Print(new BenchReport(rows, threads.Select(t => new GemmReference(t, GemmSize, gemm[t])).ToList(), repeat));
            return 0;
        }
        var table = new Table("model", "input", "batch", "threads", "ms, no plan", "ms, plan", "plan / no plan", "best GMAC/s", "% of GEMM", "dense MACs");
        foreach (var r in rows)
        {
            table.Add(r.Model, $"{r.Size}²", r.Batch.ToString(), r.Threads.ToString(), Format.Ms(r.NoPlanMs), Format.Ms(r.PlanMs),
                Format.Number(r.PlanMs / r.NoPlanMs, "F2"), Format.Number(r.Gmacs, "F1"), Format.Number(r.PercentOfGemm, "F0") + "%",
                Format.Number(100 * r.DenseShare, "F0") + "%");
        }
        table.Print(markdown);
        Console.WriteLine();
        Console.WriteLine("GEMM reference: " + string.Join("; ", threads.Select(t => $"{GemmSize}×{GemmSize} float32 matmul with {t} thread{(t > 1 ? "s" : "")} " +
            $"{Format.Number(gemm[t], "F1")} GMAC/s (mean of before and after the models)")) + $"; {Environment.ProcessorCount} processors.");
        Console.WriteLine($"Each time is the faster of two medians of {repeat} passes (after 2 warm-up passes), the plans taking turns.");
        Console.WriteLine("GMAC/s counts the weights convention (conv, linear and attention-matmul multiply-accumulates) per image × batch, at the faster plan;");
        Console.WriteLine("dense MACs: their share in dense convolutions and linear layers (not depthwise or grouped convolutions, not attention matmuls).");
        foreach (var r in rows.Where(r => r.Layers != null))
        {
            Console.WriteLine();
            Console.WriteLine($"{r.Model}, batch {r.Batch}, {r.Threads} thread(s), with the plan: time by layer kind (hooks on every layer; the rest is the blocks' own operations)");
            double total = r.Layers!.Sum(l => l.Ms);
            var kinds = new Table("layer kind", "inference plan", "calls", "ms", "share");
            foreach (var l in r.Layers!)
                kinds.Add(l.Kind, l.Plan.Length > 0 ? l.Plan : "as written", l.Calls > 0 ? l.Calls.ToString() : "", Format.Ms(l.Ms), Format.Number(100 * l.Ms / total, "F0") + "%");
            kinds.Print(markdown);
        }
        return 0;
    }

    /// <summary>The share of the pass's multiply-accumulates (weights convention) in dense convolutions and linear layers,
    /// the work a GEMM does well: not depthwise or grouped convolutions, not attention matmuls.</summary>
    private static double DenseShare(ArchDsl.Dsl.Analysis.NetworkTrace trace)
    {
        long total = trace.Macs(CountingConvention.Macs);
        long dense = trace.Entries
            .Where(e => e.Op == OpKind.Linear || (e.Op == OpKind.Conv && e.Detail.StartsWith("conv ", StringComparison.Ordinal)))
            .Sum(e => e.Macs);
        return total == 0 ? 0 : (double)dense / total;
    }

    /// <summary>Multiply-accumulates per second of a large square matmul at a thread count: what the BLAS attains.</summary>
    private static double Gemm(int threads, int repeat)
    {
        torch.set_num_threads(threads);
        using var a = torch.randn([GemmSize, GemmSize], seed: 1);
        using var b = torch.randn([GemmSize, GemmSize], seed: 2);
        double ms = Timing.Median(repeat, warmup: 1, () => torch.matmul(a, b).Dispose());
        return (double)GemmSize * GemmSize * GemmSize / (ms / 1e3) / 1e9;
    }
}
