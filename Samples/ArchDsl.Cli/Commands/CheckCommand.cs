using System;
using System.CommandLine;
using System.IO;
using System.Linq;
using ArchDsl.Dsl.Analysis;
using ArchDsl.Dsl.Diagnostics;

namespace ArchDsl.Cli.Commands;

/// <summary>Analyses architecture files outside a build and prints the diagnostics as the compiler would.</summary>
internal static class CheckCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("files") { Description = "*.arch.yaml or *.arch.json files" };
        var command = new Command("check", "report the ADSL diagnostics of architecture files (exit code 1 on errors)") { files };
        command.SetAction(parse => Run(parse.GetValue(files)!));
        return command;
    }

    private static int Run(string[] files)
    {
        bool errors = false;
        foreach (var file in files)
        {
            var analysis = FamilyAnalysis.Run(File.ReadAllText(file));
            foreach (var d in analysis.Diagnostics)
                Console.WriteLine($"{file}({d.Span.StartLine + 1},{d.Span.StartColumn + 1}): {d.Severity.ToString().ToLowerInvariant()} {d.Id}: {d.Message}");
            errors |= analysis.HasErrors;
            if (!analysis.HasErrors)
                Console.WriteLine($"{file}: {analysis.Spec!.Name}, {analysis.Variants.Count} variant(s): " +
                    string.Join(", ", analysis.Variants.Select(v => $"{v.Spec.ClassName} {Format.Count(v.Parameters)} params")));
        }
        return errors ? 1 : 0;
    }
}
