using System;

namespace ArchDsl.Runtime;

/// <summary>A learning-rate schedule per optimizer step: every group's lr becomes its base lr times
/// <see cref="Factor"/>, after a linear warm-up from 0 over the first <see cref="warmup_steps"/> steps.</summary>
public abstract class LrSchedule
{
    protected LrSchedule(long warmup_steps)
    {
        if (warmup_steps < 0) throw new ArgumentOutOfRangeException(nameof(warmup_steps), warmup_steps, "warm-up steps must be non-negative");
        this.warmup_steps = warmup_steps;
    }

    public long warmup_steps { get; }

    /// <summary>The multiplier of the base learning rate at <paramref name="step"/> (0-based).</summary>
    public double Factor(long step) =>
        step < warmup_steps ? (step + 1) / (double)warmup_steps : AfterWarmup(step - warmup_steps);

    protected abstract double AfterWarmup(long step);

    /// <summary>Sets the learning rate of every group for <paramref name="step"/>.</summary>
    public void Apply(Optimizer optimizer, long step)
    {
        double factor = Factor(step);
        foreach (var group in optimizer.param_groups) group.lr = group.base_lr * factor;
    }
}
