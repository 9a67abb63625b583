using System.Collections.Generic;

namespace ArchDsl.Runtime;

/// <summary>What loading a checkpoint for fine-tuning did (<see cref="ArchModule.load_for_fine_tuning"/>).</summary>
/// <param name="Loaded">Keys copied from the checkpoint.</param>
/// <param name="Skipped">Head tensors of another shape in the checkpoint (e.g. 1000 classes into 10): kept as the model
/// initialised them.</param>
/// <param name="Missing">Head keys the checkpoint lacks (e.g. a head the checkpoint's model did not have): kept as
/// initialised.</param>
/// <param name="Unexpected">Checkpoint keys the model has no tensor for (e.g. dist_head without distillation): ignored.</param>
public sealed record FineTuneLoad(
    IReadOnlyList<string> Loaded,
    IReadOnlyList<StateDictMismatch> Skipped,
    IReadOnlyList<string> Missing,
    IReadOnlyList<string> Unexpected)
{
    public override string ToString() =>
        $"{Loaded.Count} tensors loaded; skipped ({Skipped.Count}): {string.Join("; ", Skipped)}; "
        + $"missing ({Missing.Count}): {string.Join(", ", Missing)}; unexpected ({Unexpected.Count}): {string.Join(", ", Unexpected)}";
}
