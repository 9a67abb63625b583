using System;

namespace ArchDsl.Runtime;

/// <summary>torch.optim.lr_scheduler.StepLR counted in steps: the lr is multiplied by <see cref="gamma"/> every
/// <see cref="step_size"/> steps after the warm-up.</summary>
public sealed class StepSchedule : LrSchedule
{
    public StepSchedule(long step_size, double gamma = 0.1, long warmup_steps = 0) : base(warmup_steps)
    {
        if (step_size <= 0) throw new ArgumentOutOfRangeException(nameof(step_size), step_size, "step size must be positive");
        this.step_size = step_size;
        this.gamma = gamma;
    }

    public long step_size { get; }
    public double gamma { get; }

    protected override double AfterWarmup(long step) => Math.Pow(gamma, step / step_size);
}
