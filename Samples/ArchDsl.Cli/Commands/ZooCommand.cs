using System;
using System.CommandLine;
using System.Diagnostics;
using System.Linq;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Model;
using ArchDsl.Runtime;

namespace ArchDsl.Cli.Commands;

/// <summary>The main job: every model with analytic vs published numbers, runtime parameters and a forward pass.</summary>
internal static class ZooCommand
{
    public static Command Create()
    {
        var family = new Option<string?>("--family", "-f") { Description = "only this family (or Family.Variant)" };
        var noForward = new Option<bool>("--no-forward") { Description = "skip building the modules and the forward pass" };
        var markdown = new Option<bool>("--markdown") { Description = "print GitHub markdown (for the README)" };
        var command = new Command("zoo", "every model: analytic vs published parameters and MACs, runtime parameters, one forward pass")
        {
            family, noForward, markdown,
        };
        command.SetAction(parse => Run(parse.GetValue(family), !parse.GetValue(noForward), parse.GetValue(markdown)));
        return command;
    }

    private static int Run(string? filter, bool forward, bool markdown)
    {
        var table = new Table("model", "input", "params (analytic)", "published params", "MACs (weights)", "published MACs (convention @ size)",
            "runtime params", "forward, batch 1");
        int failures = 0;
        var gaps = new System.Collections.Generic.List<string>();
        var notes = new System.Collections.Generic.List<(string Family, string Variant, string Metric, string Note)>();
        foreach (var (family, variantName) in Zoo.Select(filter))
        {
            var variant = family.Analysis.Variant(variantName);
            var checks = variant.Checks;
            failures += checks.Count(c => !c.WithinTolerance && c.Published.KnownGap is null);
            gaps.AddRange(checks.Where(c => !c.WithinTolerance && c.Published.KnownGap != null)
                .Select(c => $"{variant.FullName} {c.Published.Metric.ToString().ToLowerInvariant()}: {c.Published.KnownGap}"));
            notes.AddRange(checks.Where(c => c.Published.Note != null)
                .Select(c => (family.Name, variantName, c.Published.Metric.ToString().ToLowerInvariant(), c.Published.Note!)));

            string runtimeParams = "", forwardText = "";
            if (forward)
            {
                (runtimeParams, forwardText, bool ok) = ForwardPass(family, variantName, variant.Parameters, variant.Trace.Height, variant.Trace.Width);
                if (!ok) failures++;
            }
            table.Add(
                variant.FullName,
                $"{variant.Trace.Height}²",
                Format.Count(variant.Parameters),
                string.Join("\n", checks.Where(c => c.Published.Metric == PublishedMetric.Params).Select(Format.Published)),
                Format.Giga(variant.Macs(CountingConvention.Macs)),
                string.Join("\n", checks.Where(c => c.Published.Metric == PublishedMetric.Macs).Select(Format.Published)),
                runtimeParams,
                forwardText);
        }
        table.Print(markdown);
        Console.WriteLine();
        Console.WriteLine("✓ within the published precision or stated tolerance; ✗ outside; ≈ a known, documented gap.");
        Console.WriteLine("MACs (weights): conv + linear + attention-matmul multiply-accumulates per image at the input size; published numbers are");
        Console.WriteLine("compared under the counter each paper used (" + string.Join(", ", CountingConvention.All.Select(c => c.Name)) + ").");
        // a note shared by several variants is printed once, naming them
        foreach (var group in notes.GroupBy(n => (n.Family, n.Metric, n.Note)))
            Console.WriteLine($"ℹ {group.Key.Family}.{string.Join(", ", group.Select(n => n.Variant).Distinct())} {group.Key.Metric}: {group.Key.Note}");
        foreach (var gap in gaps.Distinct()) Console.WriteLine("≈ " + gap);
        if (failures > 0) Console.WriteLine($"{failures} unexplained mismatch(es).");
        return failures == 0 ? 0 : 1;
    }

    /// <summary>Builds the module, checks its parameter count, and times one warm forward pass on a random image.</summary>
    private static (string Params, string Forward, bool Ok) ForwardPass(ArchFamilyInfo family, string variant, long analytic, int height, int width)
    {
        using var model = family.Create(variant);
        model.eval();
        long runtime = model.ParameterCount();
        using var scope = torch.NewDisposeScope();
        using var guard = torch.inference_mode();
        var input = torch.randn([1, model.Analysis.Resolved.InChannels, height, width], seed: 0);
        model.call(input).Dispose(); // first pass allocates and warms libtorch's kernels
        var clock = Stopwatch.StartNew();
        var output = model.call(input);
        double ms = clock.Elapsed.TotalMilliseconds;
        bool finite = output.abs().max().item<float>() is var m && float.IsFinite(m);
        bool ok = runtime == analytic && finite;
        string paramsText = runtime == analytic ? "= analytic ✓" : $"{Format.Count(runtime)} ✗";
        return (paramsText, $"{Format.Ms(ms)} ms → [{string.Join(", ", output.shape)}]{(finite ? "" : " non-finite ✗")}", ok);
    }
}
