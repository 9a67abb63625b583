using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Model;
using ArchDsl.Tests.Support;
using Xunit;
using YamlDotNet.RepresentationModel;

namespace ArchDsl.Tests.CommandLine;

/// <summary>`archdsl plot`: every SVG parses, and every point it should show is drawn where its numbers put it.
/// Markers are SVG ellipses; the data-to-pixel mapping of an axis is affine (cost axes in log10), so it is fitted
/// from two of the expected points and every expected point must have a marker within half a pixel of its place.</summary>
public class PlotCommandTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "archdsl-plot-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public void Every_chart_parses_and_draws_every_count_baseline_and_zoo_point_in_its_place()
    {
        var (exit, lines, error) = Cli.Run("plot", "--out", _folder, "--family", "CasViT", "--latency");
        Assert.True(exit == 0, error);
        var files = new[] { "params-published.svg", "macs-published.svg", "pareto-params.svg", "pareto-macs.svg", "pareto-latency.svg" };
        foreach (var file in files) Assert.Contains(Path.Combine(_folder, file), lines);

        var casvit = ArchDsl.Architectures.CasViT.Info.Analysis;
        var variants = casvit.Variants.Where(v => v.Spec.InZoo).ToList();
        var checks = variants.SelectMany(v => v.Checks).ToList();
        AssertPointsDrawn("params-published.svg",
            checks.Where(c => c.Published.Metric == PublishedMetric.Params).Select(c => (Math.Log10(c.Published.Value / 1e6), Math.Log10(c.Analytic / 1e6))));
        AssertPointsDrawn("macs-published.svg",
            checks.Where(c => c.Published.Metric == PublishedMetric.Macs).Select(c => (Math.Log10(c.Published.Value / 1e9), Math.Log10(c.Analytic / 1e9))));

        // the zoo's points come first: they fix the mapping the baselines are then checked against
        double Top1(ArchDsl.Dsl.Analysis.VariantAnalysis v) => v.Spec.Published.First(p => p.Metric == PublishedMetric.Top1).Value;
        var baselines = BaselineRows();
        Assert.Equal(176, baselines.Count); // the rows of Samples/ArchDsl.Cli/Plots/baselines.yaml
        AssertPointsDrawn("pareto-params.svg",
            variants.Select(v => (Math.Log10(v.Parameters / 1e6), Top1(v))).Concat(baselines.Select(b => (Math.Log10(b.ParamsM), b.Top1))));
        AssertPointsDrawn("pareto-macs.svg",
            variants.Select(v => (Math.Log10(v.Macs(CountingConvention.Macs) / 1e9), Top1(v))).Concat(baselines.Select(b => (Math.Log10(b.MacsG), b.Top1))));

        // latency is measured, so only its presence can be checked: one zoo marker per variant, no baselines
        var latency = Markers("pareto-latency.svg");
        Assert.Equal(variants.Count + 1, latency.Count(m => m.Radius > 3)); // + the family's legend marker
        Assert.Contains($"{checks.Count} published counts, {variants.Count} zoo variants with a published top-1, 176 baseline rows.", lines);
    }

    [Fact]
    public void The_labelled_zoo_points_are_exactly_those_no_cheaper_variant_matches()
    {
        var (exit, _, error) = Cli.Run("plot", "--out", _folder, "--family", "MAT");
        Assert.True(exit == 0, error);
        var labels = XDocument.Load(Path.Combine(_folder, "pareto-params.svg")).Descendants()
            .Where(e => e.Name.LocalName == "text").Select(e => e.Value.Trim()).Where(t => t.StartsWith("MAT.")).ToHashSet();

        // the definition, checked pairwise: on the front when no other variant has at most its parameters and a higher
        // top-1, or fewer parameters and the same top-1
        var points = ArchDsl.Architectures.MAT.Info.Analysis.Variants.Where(v => v.Spec.InZoo)
            .Select(v => (Name: v.FullName, Cost: (double)v.Parameters, Top1: v.Spec.Published.First(p => p.Metric == PublishedMetric.Top1).Value)).ToList();
        var front = points.Where(p => !points.Any(q => q.Cost <= p.Cost && q.Top1 >= p.Top1 && (q.Cost < p.Cost || q.Top1 > p.Top1)))
            .Select(p => p.Name).ToHashSet();
        Assert.Equal(front.OrderBy(n => n), labels.OrderBy(n => n));
        Assert.Contains("MAT.PureMLP", front); // the cheapest MAT variant opens the front however low its top-1 (58.4 %, Table 4.9)
        Assert.True(front.Count < points.Count);
    }

    private void AssertPointsDrawn(string file, IEnumerable<(double X, double Y)> expected)
    {
        var markers = Markers(file);
        var points = expected.ToList();
        var (ax, bx) = Affine(points.Select(p => p.X).ToList(), markers.Select(m => m.X).ToList());
        var (ay, by) = Affine(points.Select(p => p.Y).ToList(), markers.Select(m => m.Y).ToList());
        foreach (var p in points)
        {
            double x = ax + bx * p.X, y = ay + by * p.Y;
            Assert.True(markers.Any(m => Math.Abs(m.X - x) < 0.5 && Math.Abs(m.Y - y) < 0.5),
                $"{file}: no marker at ({x:F1}, {y:F1}) for the point ({p.X:F4}, {p.Y:F4})");
        }
    }

    /// <summary>The mapping value → pixel of one axis: the extreme values are tried against every pair of marker
    /// coordinates (legend markers included), and the mapping kept is the one that puts every expected value on a marker.</summary>
    private static (double A, double B) Affine(List<double> values, List<double> pixels)
    {
        double low = values.Min(), high = values.Max();
        var candidates = pixels.Distinct().ToList();
        foreach (var pLow in candidates)
            foreach (var pHigh in candidates)
            {
                if (pLow == pHigh) continue;
                double b = (pHigh - pLow) / (high - low), a = pLow - b * low;
                if (values.All(v => candidates.Any(c => Math.Abs(c - (a + b * v)) < 0.5)))
                    return (a, b);
            }
        throw new Xunit.Sdk.XunitException("no affine mapping places every expected value on a marker");
    }

    private List<(double X, double Y, double Radius)> Markers(string file)
    {
        var svg = XDocument.Load(Path.Combine(_folder, file)); // parses, or throws
        return svg.Descendants().Where(e => e.Name.LocalName == "ellipse")
            .Select(e => (Coordinate(e, "cx"), Coordinate(e, "cy"), Coordinate(e, "rx"))).ToList();
    }

    private static double Coordinate(XElement e, string name) => double.Parse((string)e.Attribute(name)!, CultureInfo.InvariantCulture);

    private static List<(double ParamsM, double MacsG, double Top1)> BaselineRows()
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(File.ReadAllText(Path.Combine(Repository.Root, "Samples", "ArchDsl.Cli", "Plots", "baselines.yaml"))));
        var rows = new List<(double, double, double)>();
        foreach (YamlMappingNode table in (YamlSequenceNode)((YamlMappingNode)yaml.Documents[0].RootNode)["tables"])
            foreach (YamlSequenceNode row in (YamlSequenceNode)table["rows"])
            {
                double Cell(int i) => double.Parse(((YamlScalarNode)row.Children[i]).Value!, CultureInfo.InvariantCulture);
                rows.Add((Cell(1), Cell(2), Cell(3)));
            }
        return rows;
    }
}
