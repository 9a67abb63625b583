using System;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ArchDsl.Cli.Reports;

/// <summary>The `--json` output of the commands: one document on standard output, camelCase, the shapes of
/// docs/cli-json.md (the records in this folder). Fields are added, never renamed or removed.</summary>
internal static class JsonReport
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // keep ✓, ², × readable; output is not embedded in HTML
    };

    public static void Print<T>(T report) => Console.WriteLine(JsonSerializer.Serialize(report, Options));
}
