using System;
using System.CommandLine;
using System.Diagnostics;
using System.Linq;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Model;
using ArchDsl.Cli.Reports;
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
        var json = new Option<bool>("--json") { Description = "print one JSON document (docs/cli-json.md)" };
        var command = new Command("zoo", "every model: analytic vs published parameters and MACs, runtime parameters, one forward pass")
        {
            family, noForward, markdown, json,
        };
        command.SetAction(parse => Run(parse.GetValue(family), !parse.GetValue(noForward), parse.GetValue(markdown), parse.GetValue(json)));
        return command;
    }

    private static int Run(string? filter, bool forward, bool markdown, bool json)
    {
        if (Zoo.Selection(filter) is not { } selected) return 1;
        var table = new Table("model", "input", "params (analytic)", "published params", "MACs (weights)", "published MACs (convention @ size)",
            "runtime params", "forward, batch 1");
        int failures = 0;
        var gaps = new System.Collections.Generic.List<string>();
        var notes = new System.Collections.Generic.List<(string Family, string Variant, string Metric, string Note)>();
        var models = new System.Collections.Generic.List<ZooModel>();
        Progress.ForEach("zoo", selected, s => $"{s.Family.Name}.{s.Variant}", selection =>
        {
            var (family, variantName) = selection;
            var variant = family.Analysis.Variant(variantName);
            var checks = variant.Checks;
            failures += checks.Count(c => !c.WithinTolerance && c.Published.KnownGap is null);
            gaps.AddRange(checks.Where(c => !c.WithinTolerance && c.Published.KnownGap != null)
                .Select(c => $"{variant.FullName} {c.Published.Metric.ToString().ToLowerInvariant()}: {c.Published.KnownGap}"));
            notes.AddRange(checks.Where(c => c.Published.Note != null)
                .Select(c => (family.Name, variantName, c.Published.Metric.ToString().ToLowerInvariant(), c.Published.Note!)));

            string runtimeParams = "", forwardText = "";
            ForwardResult? run = null;
            if (forward)
            {
                run = ForwardPass(family, variantName, variant.Trace.Height, variant.Trace.Width);
                bool ok = run.Params == variant.Parameters && run.Finite;
                runtimeParams = run.Params == variant.Parameters ? "= analytic ✓" : $"{Format.Count(run.Params)} ✗";
                forwardText = $"{Format.Ms(run.Ms)} ms → [{string.Join(", ", run.Output)}]{(run.Finite ? "" : " non-finite ✗")}";
                if (!ok) failures++;
            }
            models.Add(new ZooModel(variant.FullName, variant.Trace.Height, variant.Parameters, variant.Macs(CountingConvention.Macs),
                Published(variant), run?.Params, run?.Ms, run?.Output));
            table.Add(
                variant.FullName,
                $"{variant.Trace.Height}²",
                Format.Count(variant.Parameters),
                string.Join("\n", checks.Where(c => c.Published.Metric == PublishedMetric.Params).Select(Format.Published)),
                Format.Giga(variant.Macs(CountingConvention.Macs)),
                string.Join("\n", checks.Where(c => c.Published.Metric == PublishedMetric.Macs).Select(Format.Published)),
                runtimeParams,
                forwardText);
        });
        if (json)
        {
            JsonReport.Print(new ZooReport(models, failures));
            return failures == 0 ? 0 : 1;
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

    private sealed record ForwardResult(long Params, double Ms, int[] Output, bool Finite);

    /// <summary>Builds the module, counts its parameters, and times one warm forward pass on a random image.</summary>
    private static ForwardResult ForwardPass(ArchFamilyInfo family, string variant, int height, int width)
    {
        using var model = family.Create(variant);
        model.eval();
        using var scope = torch.NewDisposeScope();
        using var guard = torch.inference_mode();
        var input = torch.randn([1, model.Analysis.Resolved.InChannels, height, width], seed: 0);
        model.call(input).Dispose(); // first pass allocates and warms libtorch's kernels
        var clock = Stopwatch.StartNew();
        var output = model.call(input);
        double ms = clock.Elapsed.TotalMilliseconds;
        bool finite = output.abs().max().item<float>() is var m && float.IsFinite(m);
        return new ForwardResult(model.ParameterCount(), ms, output.shape.Select(d => (int)d).ToArray(), finite);
    }

    /// <summary>The variant's published numbers with their checks (top-1 is published only, never computed).</summary>
    private static System.Collections.Generic.List<PublishedReport> Published(ArchDsl.Dsl.Analysis.VariantAnalysis variant)
    {
        var reports = variant.Checks.Select(c => new PublishedReport(c.Published.Metric.ToString().ToLowerInvariant(), c.Published.Printed,
            c.Published.Value, c.Analytic, c.Published.Metric == PublishedMetric.Macs ? c.Convention : null,
            c.Published.Metric == PublishedMetric.Macs ? c.Resolution : null,
            c.WithinTolerance ? "agrees" : c.Published.KnownGap != null ? "known-gap" : "mismatch", c.Published.Source, c.Published.KnownGap)).ToList();
        reports.AddRange(variant.Spec.Published.Where(p => p.Metric == PublishedMetric.Top1)
            .Select(p => new PublishedReport("top1", p.Printed, p.Value, null, null, null, null, p.Source, null)));
        return reports;
    }
}
