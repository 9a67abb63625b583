using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;
using ArchDsl.Cli.Reports;
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
        var json = new Option<bool>("--json") { Description = "print one JSON document (docs/cli-json.md) instead of compiler-style lines" };
        var command = new Command("check", "report the ADSL diagnostics of architecture files and block libraries (exit code 1 on errors)") { files, json };
        command.SetAction(parse => Run(parse.GetValue(files)!, parse.GetValue(json)));
        return command;
    }

    private static int Run(string[] files, bool json)
    {
        if (files.Length == 0)
            return Errors.Report("check: no files given; name *.arch.yaml, *.arch.json or *.blocks.yaml files");
        var named = files.Where(ArchitectureFiles.IsLibrary).ToList();
        var reports = files.Select(file => Check(file, named)).ToList();
        int errors = reports.Sum(r => r.Diagnostics.Count(d => d.Severity == "error"));
        if (json)
            JsonReport.Print(new CheckReport(reports, errors, reports.Sum(r => r.Diagnostics.Count(d => d.Severity == "warning"))));
        else
            foreach (var report in reports)
            {
                foreach (var d in report.Diagnostics)
                    Console.WriteLine($"{report.Path}({d.Line},{d.Column}): {d.Severity}{(d.Id is null ? "" : " " + d.Id)}: {d.Message}");
                if (report.Kind == "unreadable") continue;
                string summary = report.Variants.Count > 0
                    ? $"{report.Family}, {report.Variants.Count} variant(s): " + string.Join(", ", report.Variants.Select(v => $"{v.Name} {Format.Count(v.Params)} params"))
                    : report.Diagnostics.Count == 0 ? "library, no diagnostics" : $"{report.Diagnostics.Count} diagnostic(s)";
                Console.WriteLine($"{report.Path}: {summary}");
            }
        return errors > 0 ? 1 : 0;
    }

    /// <summary>One file's report; a file that cannot be read is one located error, like a diagnostic, and the other
    /// files are still checked.</summary>
    private static CheckedFile Check(string file, IReadOnlyList<string> named)
    {
        string? problem = null;
        if (!File.Exists(file)) problem = Directory.Exists(file) ? "is a folder, not a file" : "the file does not exist";
        else
            try
            {
                return Analyse(file, named);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                problem = $"the file cannot be read ({e.Message})";
            }
        return new CheckedFile(file, "unreadable", null, Array.Empty<CheckedVariant>(), new[] { new DiagnosticReport(null, "error", problem, 1, 1, 1, 1) });
    }

    private static CheckedFile Analyse(string file, IReadOnlyList<string> named)
    {
        var libraries = ArchitectureFiles.Libraries(file, named);
        if (ArchitectureFiles.IsLibrary(file))
        {
            var diagnostics = LibraryAnalysis.Run(File.ReadAllText(file), Path.GetFileName(file),
                libraries.Where(l => l.Name != Path.GetFileName(file)).ToList());
            return new CheckedFile(file, "library", null, Array.Empty<CheckedVariant>(), diagnostics.Select(Report).ToList());
        }
        var analysis = FamilyAnalysis.Run(File.ReadAllText(file), libraries: libraries);
        var variants = analysis.HasErrors ? new List<CheckedVariant>()
            : analysis.Variants.Select(v => new CheckedVariant(v.Spec.ClassName, v.Parameters)).ToList();
        return new CheckedFile(file, "family", analysis.Spec?.Name, variants, analysis.Diagnostics.Select(Report).ToList());
    }

    private static DiagnosticReport Report(Diagnostic d) =>
        new(d.Id, d.Severity.ToString().ToLowerInvariant(), d.Message, d.Span.StartLine + 1, d.Span.StartColumn + 1, d.Span.EndLine + 1, d.Span.EndColumn + 1);
}
