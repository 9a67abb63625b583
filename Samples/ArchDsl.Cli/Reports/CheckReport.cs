using System.Collections.Generic;

namespace ArchDsl.Cli.Reports;

/// <summary>`archdsl check --json`.</summary>
/// <param name="Errors">Diagnostics of severity error over all files (the exit code is 1 when positive).</param>
internal sealed record CheckReport(IReadOnlyList<CheckedFile> Files, int Errors, int Warnings);

/// <param name="Kind">"family", "library", or "unreadable" (a missing file, a folder: its one diagnostic says which).</param>
/// <param name="Family">The family's name, when the file could be read.</param>
/// <param name="Variants">Each variant's class name and parameter count, when the family has no error.</param>
internal sealed record CheckedFile(string Path, string Kind, string? Family, IReadOnlyList<CheckedVariant> Variants, IReadOnlyList<DiagnosticReport> Diagnostics);

internal sealed record CheckedVariant(string Name, long Params);

/// <summary>A diagnostic with its span; lines and columns count from 1, as compilers print them.</summary>
/// <param name="Id">The ADSL id; null for a file that cannot be read.</param>
/// <param name="Severity">"error", "warning" or "info".</param>
internal sealed record DiagnosticReport(string? Id, string Severity, string Message, int Line, int Column, int EndLine, int EndColumn);
