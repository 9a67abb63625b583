using System;
using System.CommandLine;
using System.Linq;
using ArchDsl.Cli.Schema;
using ArchDsl.Dsl.Blocks;

namespace ArchDsl.Cli.Commands;

/// <summary>Every kind a row can use, from the catalogue the reader checks rows against (<see cref="KindCatalogue"/>):
/// the primitives, the C# kinds of the papers' new operations, and the standard library's blocks, each parameter with
/// its type, default, range or choices and doc.</summary>
internal static class KindsCommand
{
    public static Command Create()
    {
        var markdown = new Option<bool>("--markdown") { Description = "print GitHub markdown" };
        var command = new Command("kinds", "every primitive, C# kind and standard-library block with its parameters") { markdown };
        command.SetAction(parse => Run(parse.GetValue(markdown)));
        return command;
    }

    private static int Run(bool markdown)
    {
        var kinds = KindCatalogue.Builtin.All.OrderBy(k => k.Name, StringComparer.Ordinal).ToList();
        var groups = new (string Title, Func<IKind, bool> Member)[]
        {
            ("Primitives", k => k is BlockKind && k.GetType().Namespace == typeof(Dsl.Blocks.Primitives.Conv2dKind).Namespace),
            ("C# kinds of the papers' operations", k => k is BlockKind && k.GetType().Namespace != typeof(Dsl.Blocks.Primitives.Conv2dKind).Namespace),
            ("Standard library blocks", k => k is BlockDefinition),
        };
        foreach (var (title, member) in groups)
        {
            Console.WriteLine(markdown ? $"### {title}" : title);
            Console.WriteLine();
            var table = new Table("kind", "parameter", "type", "default", "range or choices", "doc");
            foreach (var kind in kinds.Where(member))
            {
                string origin = kind is BlockDefinition d ? $" ({d.Origin})" : "";
                table.Add(kind.Name, "", "", "", "", kind.Summary + origin);
                foreach (var p in kind.Params)
                    table.Add("", p.Name, p.Type.ToString().ToLowerInvariant(), p.Required ? "required" : ArchSchema.DefaultText(p), Range(p), p.Doc);
            }
            table.Print(markdown);
            Console.WriteLine();
        }
        Console.WriteLine($"Combinators: {string.Join(", ", Dsl.Reading.FileFormat.Combinators)}. JSON Schema of the files: {ArchSchema.RelativePath} (archdsl schema).");
        return 0;
    }

    private static string Range(ParamDecl p) => p.Type switch
    {
        ParamType.Int or ParamType.Number or ParamType.IntList when Math.Abs(p.Min) < 1e15 && Math.Abs(p.Max) < 1e15 => $"[{p.Min:0.###}, {p.Max:0.###}]",
        ParamType.Choice => string.Join(" | ", p.Choices),
        _ => "",
    };
}
