namespace ArchDsl.Cli.Plots;

/// <summary>A zoo variant with a published top-1: its analytic cost (MACs at its declared input size, the `macs`
/// convention), the accuracy its paper published, and, when measured, its forward latency at batch 1.</summary>
internal sealed record ZooPoint(string Model, string Family, double ParamsM, double MacsG, double Top1, double? LatencyMs);
