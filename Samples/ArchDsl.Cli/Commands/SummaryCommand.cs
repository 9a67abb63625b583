using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.Linq;
using ArchDsl.Cli.Reports;
using ArchDsl.Dsl.Analysis;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Shapes;

namespace ArchDsl.Cli.Commands;

/// <summary>One model's rows (shapes, parameters, MACs) and torchinfo-like totals, from the analysis alone (nothing runs).</summary>
internal static class SummaryCommand
{
    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = "Family.Variant (e.g. CasViT.XS, any case), or the path of an *.arch.yaml / *.arch.json file" };
        var variant = new Option<string?>("--variant", "-v") { Description = "the variant of a file (default: its first)" };
        var assembly = new Option<string?>("--assembly", "-a") { Description = "look the family up in this assembly's generated families instead of the zoo" };
        var size = new Option<string?>("--size", "-s") { Description = "input size: 224 or HxW such as 224x160 (default: the declared resolution)" };
        var batch = new Option<int>("--batch", "-b") { Description = "batch size of the shapes, MACs and memory", DefaultValueFactory = _ => 1 };
        var depth = new Option<int?>("--depth", "-d") { Description = "one row per module path of this many segments (default: one per top-level block)" };
        var convention = new Option<string>("--convention", "-c") { Description = "counting convention of the totals' MACs", DefaultValueFactory = _ => CountingConvention.Macs.Name };
        var entries = new Option<bool>("--entries") { Description = "list every operation under its block" };
        var markdown = new Option<bool>("--markdown") { Description = "print GitHub markdown" };
        var json = new Option<bool>("--json") { Description = "print one JSON document (docs/cli-json.md)" };
        var command = new Command("summary", "per-layer shapes, parameters and MACs of one model, with totals")
        {
            model, variant, assembly, size, batch, depth, convention, entries, markdown, json,
        };
        command.SetAction(parse => Run(parse.GetValue(model)!, parse.GetValue(variant), parse.GetValue(assembly), parse.GetValue(size),
            parse.GetValue(batch), parse.GetValue(depth), parse.GetValue(convention)!, parse.GetValue(entries), parse.GetValue(markdown), parse.GetValue(json)));
        return command;
    }

    private static int Run(string name, string? variantName, string? assembly, string? sizeText, int batch, int? depth, string conventionName,
        bool listEntries, bool markdown, bool json)
    {
        if (batch < 1) return Errors.Report($"--batch {batch}: a batch has at least one image");
        if (depth is < 1) return Errors.Report($"--depth {depth}: a path has at least one segment");
        if (CountingConvention.Find(conventionName) is not { } convention)
            return Errors.Report($"--convention {conventionName}: unknown; conventions: {string.Join(", ", CountingConvention.All.Select(c => c.Name))}");
        (int Height, int Width)? size = null;
        if (sizeText != null)
        {
            if (ParseSize(sizeText) is not { } parsed) return Errors.Report($"--size {sizeText}: expected 224 or HxW such as 224x160");
            if (Math.Max(parsed.Item1, parsed.Item2) > ArchDsl.Dsl.Graph.Expander.MaxInputSize)
                return Errors.Report($"--size {sizeText} is outside [1, {ArchDsl.Dsl.Graph.Expander.MaxInputSize}]");
            size = parsed;
        }
        if (ModelTarget.Find(name, variantName, assembly) is not { } target) return 1;
        var variant = target.Variant;
        var trace = size is { } s ? variant.At(s.Height, s.Width) : variant.Trace;
        if (trace.Failure is { } failure)
            return Errors.Report($"{variant.FullName} does not take {trace.Height}×{trace.Width}: {failure.Message}");

        var rows = depth is int d ? ByDepth(trace, d, convention, batch) : ByBlock(trace, convention, batch, listEntries);
        long parameters = trace.Parameters;
        var totals = new SummaryTotals(parameters, parameters, batch * trace.Macs(convention), 4 * parameters,
            4L * batch * trace.Input.Dims.Aggregate(1L, (a, b) => a * b), 4L * batch * trace.Entries.Sum(e => e.Elements));
        var report = new SummaryReport(variant.FullName, target.Source, Batched(trace.Input, batch), Batched(trace.Output, batch), convention.Name, depth, rows, totals);
        if (json)
        {
            JsonReport.Print(report);
            return 0;
        }
        var table = new Table("module", "kind", "output", "params", $"MACs ({convention.Name})");
        foreach (var row in rows)
            table.Add(row.Path, row.Kind, row.Output is null ? "" : $"[{string.Join(", ", row.Output)}]", Format.Count(row.Params), Format.Count(row.Macs));
        Console.WriteLine($"{variant.FullName}, input [{string.Join(", ", report.Input)}] — {target.Source}");
        table.Print(markdown);
        Console.WriteLine($"Total params: {Format.Count(totals.Params)}");
        Console.WriteLine($"Trainable params: {Format.Count(totals.Trainable)}");
        Console.WriteLine($"Total MACs ({convention.Name}, batch {batch}): {Format.Giga(totals.Macs)}");
        Console.WriteLine($"Input size (MB): {Megabytes(totals.InputBytes)}");
        Console.WriteLine($"Forward pass size (MB): {Megabytes(totals.ActivationBytes)}");
        Console.WriteLine($"Params size (MB): {Megabytes(totals.ParamBytes)}");
        Console.WriteLine($"Estimated total size (MB): {Megabytes(totals.InputBytes + totals.ActivationBytes + totals.ParamBytes)}");
        return 0;
    }

    /// <summary>One row per top-level block, and with <paramref name="listEntries"/> its operations beneath it.</summary>
    private static List<SummaryRow> ByBlock(NetworkTrace trace, CountingConvention convention, int batch, bool listEntries)
    {
        var rows = new List<SummaryRow>();
        foreach (var layer in trace.Layers)
        {
            var own = trace.EntriesOf(layer).ToList();
            rows.Add(new SummaryRow(layer.Node.Path.Length > 0 ? layer.Node.Path : "(top level)", layer.Node.Kind.Name,
                Batched(layer.Output, batch), own.Sum(e => e.Params), batch * own.Sum(convention.Count)));
            if (listEntries)
                rows.AddRange(own.Select(e => new SummaryRow("  " + e.Path, e.Op.ToString(), null, e.Params, batch * convention.Count(e))));
        }
        return rows;
    }

    /// <summary>Operations grouped by the first <paramref name="depth"/> segments of their module path, in order (as
    /// torchinfo's depth: each segment is one level of module nesting); a group that is a whole top-level block shows its output.</summary>
    private static List<SummaryRow> ByDepth(NetworkTrace trace, int depth, CountingConvention convention, int batch)
    {
        var blocks = trace.Layers.Where(l => l.Node.Path.Length > 0).GroupBy(l => l.Node.Path).ToDictionary(g => g.Key, g => g.Last());
        var rows = new List<SummaryRow>();
        string? current = null;
        var group = new List<CostEntry>();
        void Flush()
        {
            if (current is null) return;
            string kind = blocks.TryGetValue(current, out var block) ? block.Node.Kind.Name : group.Count == 1 ? group[0].Op.ToString() : "";
            rows.Add(new SummaryRow(current.Length > 0 ? current : "(top level)", kind, block is null ? null : Batched(block.Output, batch),
                group.Sum(e => e.Params), batch * group.Sum(convention.Count)));
            group.Clear();
        }
        foreach (var entry in trace.Entries)
        {
            string prefix = string.Join(".", entry.Path.Split('.').Take(depth));
            if (prefix != current)
            {
                Flush();
                current = prefix;
            }
            group.Add(entry);
        }
        Flush();
        return rows;
    }

    private static int[] Batched(Shape shape, int batch) => new[] { batch * shape.BatchFactor }.Concat(shape.Dims).ToArray();

    private static (int, int)? ParseSize(string text)
    {
        var parts = text.ToLowerInvariant().Split('x', '×');
        if (parts.Length > 2 || !parts.All(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v > 0)) return null;
        int height = int.Parse(parts[0], CultureInfo.InvariantCulture);
        return (height, parts.Length == 2 ? int.Parse(parts[1], CultureInfo.InvariantCulture) : height);
    }

    private static string Megabytes(long bytes) => (bytes / 1e6).ToString("F2", CultureInfo.InvariantCulture);
}
