using System;

namespace ArchDsl.Runtime;

/// <summary>Cosine annealing (Loshchilov &amp; Hutter, SGDR, 2017, without restarts) from the base lr to
/// <see cref="min_factor"/> × base lr over the steps after the warm-up.</summary>
public sealed class CosineSchedule : LrSchedule
{
    public CosineSchedule(long total_steps, long warmup_steps = 0, double min_factor = 0) : base(warmup_steps)
    {
        if (total_steps <= warmup_steps) throw new ArgumentException($"total steps ({total_steps}) must exceed the warm-up ({warmup_steps})", nameof(total_steps));
        if (min_factor is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(min_factor), min_factor, "min_factor must be in [0, 1]");
        this.total_steps = total_steps;
        this.min_factor = min_factor;
    }

    public long total_steps { get; }
    public double min_factor { get; }

    protected override double AfterWarmup(long step)
    {
        double progress = Math.Min(1.0, step / (double)(total_steps - warmup_steps));
        return min_factor + (1 - min_factor) * 0.5 * (1 + Math.Cos(Math.PI * progress));
    }
}
