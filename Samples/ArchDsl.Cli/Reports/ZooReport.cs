using System.Collections.Generic;

namespace ArchDsl.Cli.Reports;

/// <summary>`archdsl zoo --json`.</summary>
/// <param name="Mismatches">Published numbers outside tolerance without a documented reason, plus failed forward passes (exit code 1 when positive).</param>
internal sealed record ZooReport(IReadOnlyList<ZooModel> Models, int Mismatches);

/// <param name="Size">The declared input height and width.</param>
/// <param name="Macs">Per image at the declared size, `macs` convention.</param>
/// <param name="RuntimeParams">Parameters of the built module; null with --no-forward.</param>
/// <param name="ForwardMs">One warm forward pass at batch 1; null with --no-forward.</param>
internal sealed record ZooModel(string Model, int Size, long Params, long Macs, IReadOnlyList<PublishedReport> Published,
    long? RuntimeParams, double? ForwardMs, int[]? Output);

/// <param name="Metric">"params", "macs" or "top1".</param>
/// <param name="Verdict">"agrees", "known-gap" or "mismatch"; null for top-1 (not computed here).</param>
/// <param name="Analytic">The analytic count under the published number's convention and size; null for top-1.</param>
internal sealed record PublishedReport(string Metric, string Printed, double Value, double? Analytic, string? Convention, int? Resolution,
    string? Verdict, string Source, string? KnownGap);
