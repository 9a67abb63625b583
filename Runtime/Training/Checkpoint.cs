using System;
using System.IO;
using System.Text.Json;

namespace ArchDsl.Runtime;

/// <summary>Where a training run stands: epochs completed and optimizer steps taken (the schedule's position).</summary>
public sealed record TrainingProgress(int epoch, long step);

/// <summary>
/// A resumable training state in one directory: <c>model.safetensors</c> (the state_dict), <c>optimizer.safetensors</c>
/// (the optimizer's per-parameter state, keys <c>parameter/slot</c>) and <c>progress.json</c> (epoch and step, from
/// which the learning-rate schedule continues).
/// </summary>
public static class Checkpoint
{
    public const string ModelFile = "model.safetensors", OptimizerFile = "optimizer.safetensors", ProgressFile = "progress.json";

    public static void Save(string directory, Module model, Optimizer optimizer, TrainingProgress progress)
    {
        Directory.CreateDirectory(directory);
        model.save_safetensors(Path.Combine(directory, ModelFile));
        Safetensors.Save(Path.Combine(directory, OptimizerFile), optimizer.state_dict());
        File.WriteAllText(Path.Combine(directory, ProgressFile), JsonSerializer.Serialize(progress));
    }

    public static bool Exists(string directory) => File.Exists(Path.Combine(directory, ProgressFile));

    /// <summary>Restores the model and optimizer saved by <see cref="Save"/> and returns where the run stood.</summary>
    public static TrainingProgress Load(string directory, Module model, Optimizer optimizer)
    {
        var progressPath = Path.Combine(directory, ProgressFile);
        if (!File.Exists(progressPath)) throw new FileNotFoundException($"no training checkpoint in {directory} ({ProgressFile} is missing)", progressPath);
        var progress = JsonSerializer.Deserialize<TrainingProgress>(File.ReadAllText(progressPath))
            ?? throw new InvalidDataException($"{progressPath} is empty");
        model.load_safetensors(Path.Combine(directory, ModelFile));
        var state = Safetensors.Load(Path.Combine(directory, OptimizerFile));
        try
        {
            optimizer.load_state_dict(state);
        }
        finally
        {
            foreach (var t in state.Values) t.Dispose();
        }
        return progress;
    }
}
