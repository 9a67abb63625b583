using System;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using ArchDsl.Runtime;

namespace ArchDsl.Cli.Commands;

/// <summary>
/// The C# half of the side-by-side benchmark (bench/side_by_side.py): a process that builds a model, writes its
/// weights, input and output for the Python side to load and compare, and times forward passes when asked, so that the
/// two implementations can be timed in turns on an otherwise idle machine. One request per line on standard input, one
/// answer per line on standard output:
/// <list type="bullet">
/// <item><c>load MODEL BATCH DIR [OPTIMIZATIONS]</c> → <c>ok PARAMETERS KEPT</c>; OPTIMIZATIONS is <c>all</c> (default),
/// <c>none</c> or a comma-separated list of <see cref="InferenceOptimizations"/> names; KEPT, in the same form, what the
/// model kept after measuring its first pass.</item>
/// <item><c>time N</c> → <c>ms T1 … TN</c>, the times of N forward passes.</item>
/// <item><c>threads N</c> → <c>ok</c>; <c>quit</c> ends the process. A failure answers <c>error MESSAGE</c>.</item>
/// </list>
/// </summary>
internal static class BenchWorkerCommand
{
    public static Command Create()
    {
        var command = new Command("bench-worker", "times forward passes on request, for bench/side_by_side.py (requests on standard input)");
        command.SetAction(_ => Run());
        return command;
    }

    private static int Run()
    {
        torch.set_num_threads(1);
        ArchModule? model = null;
        Tensor? input = null;
        try
        {
            while (Console.ReadLine() is { } line)
            {
                var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (words.Length == 0) continue;
                if (words[0] == "quit") break;
                try
                {
                    switch (words[0])
                    {
                        case "threads":
                            torch.set_num_threads(int.Parse(words[1], CultureInfo.InvariantCulture));
                            Console.WriteLine("ok");
                            break;
                        case "load":
                            model?.Dispose();
                            input?.Dispose();
                            (model, input) = Load(words[1], int.Parse(words[2], CultureInfo.InvariantCulture), words[3],
                                words.Length > 4 ? InferencePlan.Parse(words[4]) : InferenceOptimizations.All);
                            // the plan the model kept after measuring its first pass (ArchModule.MeasuresPlan)
                            Console.WriteLine($"ok {model.ParameterCount()} {InferencePlan.Format(model.optimizations)}");
                            break;
                        case "time":
                            if (model is null || input is null) throw new InvalidOperationException("no model loaded");
                            int n = int.Parse(words[1], CultureInfo.InvariantCulture);
                            var times = Enumerable.Range(0, n).Select(_ =>
                            {
                                var clock = System.Diagnostics.Stopwatch.StartNew();
                                model.call(input).Dispose();
                                return clock.Elapsed.TotalMilliseconds;
                            }).ToList();
                            Console.WriteLine("ms " + string.Join(" ", times.Select(t => t.ToString("F4", CultureInfo.InvariantCulture))));
                            break;
                        default:
                            throw new ArgumentException($"unknown request '{words[0]}'");
                    }
                }
                catch (Exception e) when (e is ArgumentException or FormatException or IndexOutOfRangeException
                                              or InvalidOperationException or TorchException or IOException)
                {
                    Console.WriteLine($"error {e.GetType().Name}: {ArchDsl.Dsl.Text.CSharp.OneLine(e.Message)}");
                }
            }
        }
        finally
        {
            model?.Dispose();
            input?.Dispose();
        }
        return 0;
    }

    /// <summary>Builds the model in eval mode with seeded random BatchNorm statistics (the defaults, mean 0 and variance
    /// 1, would make folding them a no-op and hide a wrong fold), writes weights.safetensors and io.safetensors (input,
    /// output) into <paramref name="directory"/>.</summary>
    private static (ArchModule Model, Tensor Input) Load(string name, int batch, string directory, InferenceOptimizations optimizations)
    {
        if (Zoo.Model(name) is not { } found) throw new ArgumentException($"unknown model '{name}'");
        var (family, variant) = found;
        torch.manual_seed(0);  // every worker builds the same weights: one PyTorch model checks them all
        var model = family.Create(variant);
        RandomizeBatchNorms(model);
        model.eval(optimizations);
        var trace = model.Analysis.Trace;
        using var scope = torch.NewDisposeScope();
        var input = torch.randn([batch, trace.Variant.InChannels, trace.Height, trace.Width], seed: 0);
        var output = model.call(input);
        Directory.CreateDirectory(directory);
        model.save_safetensors(Path.Combine(directory, "weights.safetensors"));
        Safetensors.Save(Path.Combine(directory, "io.safetensors"), new[]
        {
            new System.Collections.Generic.KeyValuePair<string, Tensor>("input", input),
            new System.Collections.Generic.KeyValuePair<string, Tensor>("output", output),
        });
        return (model, scope.MoveToOuter(input));
    }

    private static void RandomizeBatchNorms(Module model)
    {
        using var noGrad = torch.no_grad();
        long seed = 100;
        foreach (var bn in model.modules().OfType<BatchNorm2d>())
        {
            using var scope = torch.NewDisposeScope();
            long c = bn.num_features;
            bn.weight?.copy_(torch.rand([c], seed: seed++) * 0.5 + 0.75);
            bn.bias?.copy_(torch.randn([c], seed: seed++) * 0.1);
            bn.running_mean?.copy_(torch.randn([c], seed: seed++) * 0.1);
            bn.running_var?.copy_(torch.rand([c], seed: seed++) * 0.5 + 0.75);
        }
    }
}
