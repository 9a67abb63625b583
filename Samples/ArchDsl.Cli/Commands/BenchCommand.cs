using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Linq;
using ArchDsl.Dsl.Costs;
using ArchDsl.Runtime;

namespace ArchDsl.Cli.Commands;

/// <summary>
/// Forward latency of every variant at its declared resolution (eval, inference mode), as milliseconds and as achieved
/// GMAC/s, beside the GMAC/s of a large matmul measured in the same run: the fraction of what this machine's
/// BLAS attains. A timed harness: warm-up passes, then the median of repeated passes.
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
            Description = "libtorch intra-op thread counts to compare (default: 1 and the processor count)",
            DefaultValueFactory = _ => Environment.ProcessorCount > 1 ? new[] { 1, Environment.ProcessorCount } : new[] { 1 },
            AllowMultipleArgumentsPerToken = true,
        };
        var markdown = new Option<bool>("--markdown") { Description = "print GitHub markdown (for the README)" };
        var command = new Command("bench", "forward latency of every variant, batch 1 and 8, against a large matmul's GMAC/s")
        {
            family, batches, repeat, threads, markdown,
        };
        command.SetAction(parse => Run(parse.GetValue(family), parse.GetValue(batches)!, parse.GetValue(repeat), parse.GetValue(threads)!, parse.GetValue(markdown)));
        return command;
    }

    private static int Run(string? filter, int[] batches, int repeat, int[] threads, bool markdown)
    {
        using var guard = torch.inference_mode();
        torch.set_num_threads(threads.Max());
        double gemmBefore = Gemm(repeat);
        var rows = new List<(string Model, int Size, int Batch, double[] Ms, long Macs)>();
        if (Zoo.Selection(filter) is not { } selected) return 1;
        Progress.ForEach("bench", selected, s => $"{s.Family.Name}.{s.Variant}", selection =>
        {
            var (family, variantName) = selection;
            using var model = family.Create(variantName);
            model.eval();
            var trace = model.Analysis.Trace;
            foreach (int batch in batches)
            {
                using var input = torch.randn([batch, trace.Variant.InChannels, trace.Height, trace.Width], seed: 0);
                var ms = threads.Select(t =>
                {
                    torch.set_num_threads(t);
                    return Timing.Median(repeat, warmup: 2, () => model.call(input).Dispose());
                }).ToArray();
                rows.Add((model.Analysis.FullName, trace.Height, batch, ms, batch * trace.Macs(CountingConvention.Macs)));
            }
        });
        torch.set_num_threads(threads.Max());
        double gemmAfter = Gemm(repeat);
        double gemm = (gemmBefore + gemmAfter) / 2;

        var columns = new List<string> { "model", "input", "batch" };
        columns.AddRange(threads.Select(t => $"ms, {t} thread{(t > 1 ? "s" : "")}"));
        columns.AddRange(new[] { "best GMAC/s", "% of GEMM" });
        var table = new Table(columns.ToArray());
        foreach (var r in rows)
        {
            double best = r.Macs / (r.Ms.Min() / 1e3) / 1e9;
            table.Add(new[] { r.Model, $"{r.Size}²", r.Batch.ToString() }
                .Concat(r.Ms.Select(Format.Ms))
                .Concat(new[] { Format.Number(best, "F1"), Format.Number(100 * best / gemm, "F0") + "%" }).ToArray());
        }
        table.Print(markdown);
        Console.WriteLine();
        Console.WriteLine($"GEMM reference: {GemmSize}×{GemmSize} float32 matmul with {threads.Max()} threads, {Format.Number(gemmBefore, "F1")} GMAC/s " +
                          $"before and {Format.Number(gemmAfter, "F1")} after the models (mean {Format.Number(gemm, "F1")}); " +
                          $"{Environment.ProcessorCount} processors; median of {repeat} passes after 2 warm-up passes.");
        Console.WriteLine("GMAC/s counts the weights convention (conv, linear and attention-matmul multiply-accumulates) per image × batch,");
        Console.WriteLine("at the faster thread count.");
        return 0;
    }

    /// <summary>Multiply-accumulates per second of a large square matmul: what the BLAS attains on this machine.</summary>
    private static double Gemm(int repeat)
    {
        using var a = torch.randn([GemmSize, GemmSize], seed: 1);
        using var b = torch.randn([GemmSize, GemmSize], seed: 2);
        double ms = Timing.Median(repeat, warmup: 1, () => torch.matmul(a, b).Dispose());
        return (double)GemmSize * GemmSize * GemmSize / (ms / 1e3) / 1e9;
    }
}
