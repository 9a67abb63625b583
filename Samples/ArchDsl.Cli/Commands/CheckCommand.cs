using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;
using ArchDsl.Dsl.Analysis;
using ArchDsl.Dsl.Diagnostics;

namespace ArchDsl.Cli.Commands;

/// <summary>Analyses architecture files and block libraries outside a build and prints the diagnostics as the compiler
/// would. A family sees the libraries named on the command line and the <c>*.blocks.yaml</c> beside it, as a project
/// that includes its folder's files does.</summary>
internal static class CheckCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("files") { Description = "*.arch.yaml, *.arch.json or *.blocks.yaml files" };
        var command = new Command("check", "report the ADSL diagnostics of architecture files and block libraries (exit code 1 on errors)") { files };
        command.SetAction(parse => Run(parse.GetValue(files)!));
        return command;
    }

    private static int Run(string[] files)
    {
        if (files.Length == 0)
        {
            Console.Error.WriteLine("archdsl check: no files given; name *.arch.yaml, *.arch.json or *.blocks.yaml files");
            return 1;
        }
        bool errors = false;
        var named = files.Where(IsLibrary).ToList();
        foreach (var file in files)
        {
            // a file that cannot be read is one located line, like a diagnostic, and the other files are still checked
            if (!File.Exists(file))
            {
                Console.WriteLine($"{file}(1,1): error: {(Directory.Exists(file) ? "is a folder, not a file" : "the file does not exist")}");
                errors = true;
                continue;
            }
            try
            {
                errors |= Check(file, named);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Console.WriteLine($"{file}(1,1): error: the file cannot be read ({e.Message})");
                errors = true;
            }
        }
        return errors ? 1 : 0;
    }

    /// <summary>Prints the diagnostics of one file; returns whether it has errors.</summary>
    private static bool Check(string file, IReadOnlyList<string> named)
    {
        var libraries = Libraries(file, named);
        IReadOnlyList<Diagnostic> diagnostics;
        string? summary = null;
        if (IsLibrary(file))
            diagnostics = LibraryAnalysis.Run(File.ReadAllText(file), Path.GetFileName(file),
                libraries.Where(l => l.Name != Path.GetFileName(file)).ToList());
        else
        {
            var analysis = FamilyAnalysis.Run(File.ReadAllText(file), libraries: libraries);
            diagnostics = analysis.Diagnostics;
            if (!analysis.HasErrors)
                summary = $"{analysis.Spec!.Name}, {analysis.Variants.Count} variant(s): " +
                    string.Join(", ", analysis.Variants.Select(v => $"{v.Spec.ClassName} {Format.Count(v.Parameters)} params"));
        }
        foreach (var d in diagnostics)
            Console.WriteLine($"{file}({d.Span.StartLine + 1},{d.Span.StartColumn + 1}): {d.Severity.ToString().ToLowerInvariant()} {d.Id}: {d.Message}");
        Console.WriteLine($"{file}: {summary ?? (diagnostics.Count == 0 ? "library, no diagnostics" : $"{diagnostics.Count} diagnostic(s)")}");
        return diagnostics.Any(d => d.Severity == Severity.Error);
    }

    private static bool IsLibrary(string file) => file.EndsWith(".blocks.yaml", StringComparison.OrdinalIgnoreCase);

    /// <summary>The libraries named on the command line and those in the file's folder, each once.</summary>
    private static IReadOnlyList<(string Name, string Text)> Libraries(string file, IEnumerable<string> named)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(file))!;
        return named.Select(Path.GetFullPath).Concat(Directory.GetFiles(folder, "*.blocks.yaml"))
            .Distinct(StringComparer.Ordinal).OrderBy(f => f, StringComparer.Ordinal)
            .Select(f => (Path.GetFileName(f), File.ReadAllText(f))).ToList();
    }
}
