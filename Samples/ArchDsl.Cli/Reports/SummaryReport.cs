using System.Collections.Generic;

namespace ArchDsl.Cli.Reports;

/// <summary>`archdsl summary --json`: the rows printed and torchinfo-like totals.</summary>
/// <param name="Input">[batch, channels, height, width].</param>
/// <param name="Output">The model's output shape, batch first.</param>
/// <param name="Convention">The counting convention of every `macs` field.</param>
/// <param name="Depth">Rows group operations by this many module-path segments; null: one row per top-level block.</param>
internal sealed record SummaryReport(string Model, string Source, int[] Input, int[] Output, string Convention, int? Depth,
    IReadOnlyList<SummaryRow> Rows, SummaryTotals Totals);

/// <param name="Output">The row's output shape, batch first, for rows that are whole blocks; null otherwise.</param>
/// <param name="Macs">For the whole batch.</param>
internal sealed record SummaryRow(string Path, string Kind, int[]? Output, long Params, long Macs);

/// <param name="Trainable">Parameters that train (every parameter: buffers such as running statistics are not parameters).</param>
/// <param name="Macs">For the whole batch, under the report's convention.</param>
/// <param name="ActivationBytes">float32 bytes of the values the operations write or read (conv and linear outputs,
/// norm, activation and pool inputs) for the whole batch: the forward pass's activations, as torchinfo's
/// "forward pass size".</param>
internal sealed record SummaryTotals(long Params, long Trainable, long Macs, long ParamBytes, long InputBytes, long ActivationBytes);
