using System;
using System.Collections.Generic;
using System.Linq;
using ArchDsl.Dsl.Analysis;
using ArchDsl.Dsl.Model;
using ScottPlot;

namespace ArchDsl.Cli.Plots;

/// <summary>The charts of `archdsl plot`, drawn with ScottPlot. Costs span three decades, so cost axes are log10
/// (the data are plotted as log10 values and the ticks labelled with the values themselves).</summary>
internal static class Charts
{
    public const int Width = 1000, Height = 700;

    public static readonly Color Agree = Colors.ForestGreen, KnownGap = Colors.DarkOrange, Mismatch = Colors.Red;
    public static readonly Color Zoo = Colors.RoyalBlue, Baselines = Colors.Gray;

    /// <summary>Analytic against published, one point per published number of the metric (a variant may have several),
    /// coloured by the report's verdict, on the diagonal when they agree; points off it are labelled.</summary>
    public static Plot Counts(IEnumerable<(string Model, PublishedCheck Check)> checks, PublishedMetric metric)
    {
        double unit = metric == PublishedMetric.Params ? 1e6 : 1e9;
        string what = metric == PublishedMetric.Params ? "parameters (M)" : "MACs (G, under each paper's counter and input size)";
        var plot = new Plot();
        plot.Title($"{(metric == PublishedMetric.Params ? "Parameters" : "MACs")}: analytic (ArchDsl) against published");
        plot.XLabel("published " + what);
        plot.YLabel("analytic " + what);
        var points = checks.Where(c => c.Check.Published.Metric == metric).ToList();
        var all = points.SelectMany(p => new[] { p.Check.Published.Value, p.Check.Analytic }).Select(v => Math.Log10(v / unit)).ToList();
        var diagonal = plot.Add.Line(all.Min(), all.Min(), all.Max(), all.Max());
        diagonal.Color = Colors.Black.WithAlpha(0.3);
        diagonal.LegendText = "analytic = published";
        foreach (var (verdict, color, label) in new[] { ("✓", Agree, "within the published precision"), ("≈", KnownGap, "known, documented gap"), ("✗", Mismatch, "unexplained mismatch") })
        {
            var group = points.Where(p => Format.Verdict(p.Check) == verdict).ToList();
            if (group.Count == 0) continue;
            var xs = group.Select(p => Math.Log10(p.Check.Published.Value / unit)).ToArray();
            var ys = group.Select(p => Math.Log10(p.Check.Analytic / unit)).ToArray();
            var scatter = plot.Add.ScatterPoints(xs, ys, color);
            scatter.MarkerSize = 7;
            scatter.LegendText = $"{label} ({group.Count})";
            if (verdict != "✓")
                for (int i = 0; i < group.Count; i++)
                    Label(plot, group[i].Model, xs[i], ys[i], color);
        }
        LogTicks(plot.Axes.Bottom);
        LogTicks(plot.Axes.Left);
        plot.ShowLegend(Alignment.UpperLeft);
        return plot;
    }

    /// <summary>Top-1 against one cost: the zoo's variants (coloured by family, labelled on the front) and the baselines
    /// their papers print, each set with its Pareto front (no other point cheaper and at least as accurate).</summary>
    public static Plot Pareto(IReadOnlyList<ZooPoint> zoo, IReadOnlyList<Baseline> baselines, string cost)
    {
        Func<ZooPoint, double?> zooCost = cost switch
        {
            "params" => z => z.ParamsM,
            "macs" => z => z.MacsG,
            _ => z => z.LatencyMs,
        };
        Func<Baseline, double>? baselineCost = cost switch
        {
            "params" => b => b.ParamsM,
            "macs" => b => b.MacsG,
            _ => null, // latency is measured here, and only the zoo runs here
        };
        string axis = cost switch
        {
            "params" => "parameters (M)",
            "macs" => "MACs (G; zoo: analytic at its input size; baselines: as printed)",
            _ => "forward latency, batch 1, this machine (ms)",
        };
        var plot = new Plot();
        plot.Title($"ImageNet-1K top-1 against {(cost == "macs" ? "MACs" : cost)}: the zoo (published top-1) and the baselines its papers print");
        plot.XLabel(axis);
        plot.YLabel("top-1 (%)");

        if (baselineCost != null && baselines.Count > 0)
        {
            var points = baselines.Select(b => (X: Math.Log10(baselineCost(b)), Y: b.Top1)).ToList();
            var scatter = plot.Add.ScatterPoints(points.Select(p => p.X).ToArray(), points.Select(p => p.Y).ToArray(), Baselines.WithAlpha(0.6));
            scatter.MarkerSize = 5;
            scatter.LegendText = $"baselines as printed ({baselines.Count} rows)";
            Front(plot, points, Baselines, "baselines' Pareto front");
        }
        var measured = zoo.Where(z => zooCost(z) != null).ToList();
        if (measured.Count > 0)
        {
            var palette = new ScottPlot.Palettes.Category20();
            var families = measured.Select(z => z.Family).Distinct().ToList();
            foreach (var family in families)
            {
                var members = measured.Where(z => z.Family == family).ToList();
                var scatter = plot.Add.ScatterPoints(
                    members.Select(z => Math.Log10(zooCost(z)!.Value)).ToArray(), members.Select(z => z.Top1).ToArray(),
                    palette.GetColor(families.IndexOf(family)));
                scatter.MarkerSize = 8;
                scatter.LegendText = $"{family} ({members.Count})";
            }
            // labels on the front only: the zoo has too many variants (ablations included) to label every point legibly
            var front = Front(plot, measured.Select(z => (X: Math.Log10(zooCost(z)!.Value), Y: z.Top1)), Zoo, "the zoo's Pareto front");
            foreach (var z in measured)
                if (front.Contains((Math.Log10(zooCost(z)!.Value), z.Top1)))
                    Label(plot, z.Model, Math.Log10(zooCost(z)!.Value), z.Top1, Zoo);
        }
        LogTicks(plot.Axes.Bottom);
        plot.ShowLegend(Alignment.LowerRight);
        plot.Legend.FontSize = 10;
        return plot;
    }

    private static IReadOnlyList<(double X, double Y)> Front(Plot plot, IEnumerable<(double X, double Y)> points, Color color, string legend)
    {
        var front = ParetoFront.Of(points);
        var line = plot.Add.ScatterLine(front.Select(p => p.X).ToArray(), front.Select(p => p.Y).ToArray(), color);
        line.ConnectStyle = ConnectStyle.StepHorizontal;
        line.LineWidth = 2;
        line.LegendText = legend;
        return front;
    }

    private static void Label(Plot plot, string text, double x, double y, Color color)
    {
        var label = plot.Add.Text(text, x, y);
        label.LabelFontSize = 10;
        label.LabelFontColor = color;
        label.OffsetX = 5;
        label.OffsetY = -5;
    }

    /// <summary>Ticks of an axis that shows log10 of the data: one per decade labelled with the value, minor ticks between.</summary>
    private static void LogTicks(IAxis axis)
    {
        axis.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = v => Math.Pow(10, v).ToString(v < 0 ? "0.##" : "#,0.##", System.Globalization.CultureInfo.InvariantCulture),
        };
    }
}
