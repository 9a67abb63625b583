using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace ArchDsl.Cli.Reports;

/// <summary>`archdsl bench --json`.</summary>
/// <param name="Repeat">Timed passes per median.</param>
internal sealed record BenchReport(IReadOnlyList<BenchRow> Rows, IReadOnlyList<GemmReference> Gemm, int Repeat);

/// <summary>One model at one batch size and thread count; times in milliseconds per forward pass.</summary>
/// <param name="NoPlanMs">Eval without the inference plan (<c>eval(InferenceOptimizations.None)</c>).</param>
/// <param name="PlanMs">Eval with every optimization (<c>eval()</c>).</param>
/// <param name="Macs">Multiply-accumulates of the pass (weights convention, × batch).</param>
/// <param name="DenseShare">The fraction of <paramref name="Macs"/> in dense convolutions and linear layers (not depthwise
/// or grouped convolutions, not attention matmuls).</param>
/// <param name="Layers">With --explain: time by layer kind with the plan, slowest first; else null.</param>
internal sealed record BenchRow(string Model, int Size, int Batch, int Threads, double NoPlanMs, double PlanMs, long Macs, double DenseShare,
    IReadOnlyList<BenchLayer>? Layers)
{
    /// <summary>Achieved GMAC/s at the faster of the two.</summary>
    public double Gmacs { get; set; }

    /// <summary><see cref="Gmacs"/> as a percentage of the GEMM reference at the same thread count.</summary>
    public double PercentOfGemm { get; set; }

    [JsonPropertyOrder(-1)] public double PlanRatio => PlanMs / NoPlanMs;
}

/// <param name="Plan">What the inference plan does with the kind ("" as written).</param>
internal sealed record BenchLayer(string Kind, string Plan, int Calls, double Ms);

internal sealed record GemmReference(int Threads, int Size, double Gmacs);
