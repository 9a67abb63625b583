using System.CommandLine;
using System.Linq;
using ArchDsl.Dsl.Costs;

namespace ArchDsl.Cli.Commands;

/// <summary>One model's rows: shapes, parameters and MACs under every convention, per block instance.</summary>
internal static class SummaryCommand
{
    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = "Family.Variant, e.g. CasViT.XS" };
        var size = new Option<int?>("--size", "-s") { Description = "input height and width (default: the declared resolution)" };
        var entries = new Option<bool>("--entries") { Description = "list every operation, not only the blocks" };
        var markdown = new Option<bool>("--markdown") { Description = "print GitHub markdown" };
        var command = new Command("summary", "per-layer shapes, parameters and MACs of one model") { model, size, entries, markdown };
        command.SetAction(parse => Run(parse.GetValue(model)!, parse.GetValue(size), parse.GetValue(entries), parse.GetValue(markdown)));
        return command;
    }

    private static int Run(string name, int? size, bool listEntries, bool markdown)
    {
        var dot = name.IndexOf('.');
        var family = Zoo.Find(dot < 0 ? name : name[..dot]);
        if (family is null)
        {
            System.Console.Error.WriteLine($"archdsl summary: no family '{(dot < 0 ? name : name[..dot])}'; families: {string.Join(", ", Zoo.Families.Select(f => f.Name))}");
            return 1;
        }
        string variantName = dot < 0 ? family.Variants[0] : name[(dot + 1)..];
        var variant = family.Analysis.Variants.FirstOrDefault(v => v.Name == variantName || v.Spec.ClassName == variantName);
        if (variant is null)
        {
            System.Console.Error.WriteLine($"archdsl summary: {family.Name} has no variant '{variantName}'; variants: {string.Join(", ", family.Variants)}");
            return 1;
        }
        if (size is int side && (side < 1 || side > ArchDsl.Dsl.Graph.Expander.MaxInputSize))
        {
            System.Console.Error.WriteLine($"archdsl summary: --size {side} is outside [1, {ArchDsl.Dsl.Graph.Expander.MaxInputSize}]");
            return 1;
        }
        var trace = size is int s ? variant.At(s, s) : variant.Trace;
        if (trace.Failure is { } failure)
        {
            System.Console.Error.WriteLine($"{variant.FullName} does not take {trace.Height}×{trace.Width}: {failure.Message}");
            return 1;
        }
        var conventions = CountingConvention.All.Where(c => c.AppliesTo(trace.Entries)).ToList();
        var table = new Table(new[] { "module", "kind", "input", "output", "params" }.Concat(conventions.Select(c => c.Name)).ToArray());
        foreach (var layer in trace.Layers)
        {
            var own = trace.EntriesOf(layer).ToList();
            table.Add(new[]
            {
                layer.Node.Path.Length > 0 ? layer.Node.Path : "(top level)", layer.Node.Kind.Name, layer.Input.ToString(), layer.Output.ToString(),
                Format.Count(own.Sum(e => e.Params)),
            }.Concat(conventions.Select(c => Format.Count(own.Sum(c.Count)))).ToArray());
            if (listEntries)
                foreach (var e in own)
                    table.Add(new[] { "  " + e.Path, e.Op.ToString(), "", e.Detail, Format.Count(e.Params) }
                        .Concat(conventions.Select(c => Format.Count(c.Count(e)))).ToArray());
        }
        table.Add(new[] { "total", "", trace.Input.ToString(), trace.Output.ToString(), Format.Count(trace.Parameters) }
            .Concat(conventions.Select(c => Format.Count(trace.Macs(c)))).ToArray());
        System.Console.WriteLine($"{variant.FullName} at {trace.Height}×{trace.Width} — {family.SourceFile}");
        table.Print(markdown);
        return 0;
    }
}
