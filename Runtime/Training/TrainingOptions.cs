namespace ArchDsl.Runtime;

/// <summary>The recipe of <see cref="Trainer"/>: AdamW with timm's parameter groups, label-smoothed cross-entropy, a
/// cosine schedule with linear warm-up, optional gradient clipping. The defaults are the Fashion-MNIST run of README.</summary>
public sealed record TrainingOptions
{
    public int epochs { get; init; } = 5;
    public int batch_size { get; init; } = 128;
    public double lr { get; init; } = 2e-3;
    public double weight_decay { get; init; } = 0.05;
    public double label_smoothing { get; init; } = 0.1;
    public long warmup_steps { get; init; } = 200;

    /// <summary>Joint gradient norm limit; null: no clipping.</summary>
    public double? clip_grad_norm { get; init; } = 5.0;

    /// <summary>Seeds the batch order, the augmentation and libtorch's generator (dropout, drop path).</summary>
    public int seed { get; init; }

    /// <summary>Stops after this many optimizer steps (the schedule spans them); null: all epochs.</summary>
    public long? max_steps { get; init; }

    /// <summary>Test images evaluated after each epoch; null: the whole test split.</summary>
    public int? eval_limit { get; init; }

    /// <summary>Saves a checkpoint here after every epoch and resumes from one found here.</summary>
    public string? checkpoint_directory { get; init; }
}
