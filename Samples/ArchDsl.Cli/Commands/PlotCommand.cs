using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;
using ArchDsl.Cli.Plots;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Model;
using ArchDsl.Runtime;

namespace ArchDsl.Cli.Commands;

/// <summary>SVG charts of the zoo: analytic against published counts, and top-1 Pareto fronts against the baselines
/// the papers print (params, MACs, and with --latency the forward latency measured here).</summary>
internal static class PlotCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out", "-o") { Description = "folder for the SVG files", DefaultValueFactory = _ => "plots" };
        var family = new Option<string?>("--family", "-f") { Description = "only this family (or Family.Variant)" };
        var latency = new Option<bool>("--latency") { Description = "also measure each variant's forward latency (batch 1, median of 3) and chart it" };
        var command = new Command("plot", "SVG charts: analytic vs published params and MACs; top-1 Pareto fronts of the zoo against the papers' baselines")
        {
            output, family, latency,
        };
        command.SetAction(parse => Run(parse.GetValue(output)!, parse.GetValue(family), parse.GetValue(latency)));
        return command;
    }

    private static int Run(string folder, string? filter, bool latency)
    {
        Directory.CreateDirectory(folder);
        var checks = new List<(string Model, ArchDsl.Dsl.Analysis.PublishedCheck Check)>();
        var zoo = new List<ZooPoint>();
        if (Zoo.Selection(filter) is not { } selected) return 1;
        Progress.ForEach(latency ? "plot: timing" : "plot", selected, s => $"{s.Family.Name}.{s.Variant}", selection =>
        {
            var (family, variantName) = selection;
            var variant = family.Analysis.Variant(variantName);
            checks.AddRange(variant.Checks.Select(c => (variant.FullName, c)));
            var top1 = variant.Spec.Published.FirstOrDefault(p => p.Metric == PublishedMetric.Top1);
            if (top1 is null) return;
            double? ms = latency ? Latency(family, variantName) : null;
            zoo.Add(new ZooPoint(variant.FullName, family.Name, variant.Parameters / 1e6, variant.Macs(CountingConvention.Macs) / 1e9, top1.Value, ms));
        });
        var charts = new List<(string File, ScottPlot.Plot Plot)>
        {
            ("params-published.svg", Charts.Counts(checks, PublishedMetric.Params)),
            ("macs-published.svg", Charts.Counts(checks, PublishedMetric.Macs)),
            ("pareto-params.svg", Charts.Pareto(zoo, Baseline.All, "params")),
            ("pareto-macs.svg", Charts.Pareto(zoo, Baseline.All, "macs")),
        };
        if (latency) charts.Add(("pareto-latency.svg", Charts.Pareto(zoo, Baseline.All, "latency")));
        foreach (var (file, plot) in charts)
        {
            string path = Path.Combine(folder, file);
            plot.SaveSvg(path, Charts.Width, Charts.Height);
            Console.WriteLine(path);
        }
        Console.WriteLine($"{checks.Count} published counts, {zoo.Count} zoo variants with a published top-1, {Baseline.All.Count} baseline rows.");
        return 0;
    }

    /// <summary>Median of three warm forward passes at batch 1 and the declared input size.</summary>
    private static double Latency(ArchFamilyInfo family, string variant)
    {
        using var model = family.Create(variant);
        model.eval();
        using var scope = torch.NewDisposeScope();
        using var guard = torch.no_grad();
        var trace = model.Analysis.Trace;
        var input = torch.randn([1, trace.Variant.InChannels, trace.Height, trace.Width], seed: 0);
        // the first pass allocates and warms libtorch's kernels
        return Timing.Median(repeat: 3, warmup: 1, () => model.call(input).Dispose());
    }
}
