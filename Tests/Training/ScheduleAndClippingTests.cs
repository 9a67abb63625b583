using System;
using System.Linq;
using ArchDsl.Runtime;
using Xunit;

namespace ArchDsl.Tests.Training;

/// <summary>Learning-rate schedules and gradient clipping against their definitions.</summary>
public class ScheduleAndClippingTests
{
    [Fact]
    public void Cosine_warms_up_linearly_then_falls_to_its_floor()
    {
        var cosine = new CosineSchedule(total_steps: 110, warmup_steps: 10, min_factor: 0.1);
        Assert.Equal(0.1, cosine.Factor(0), 12);          // (0 + 1) / 10
        Assert.Equal(1.0, cosine.Factor(9), 12);
        Assert.Equal(1.0, cosine.Factor(10), 12);         // the cosine starts at its top
        Assert.Equal(0.55, cosine.Factor(60), 12);        // half way: 0.1 + 0.9 · (1 + cos π/2) / 2
        Assert.Equal(0.1, cosine.Factor(110), 12);
        Assert.Throws<ArgumentException>(() => new CosineSchedule(total_steps: 5, warmup_steps: 5));
    }

    [Fact]
    public void Step_schedule_multiplies_by_gamma_every_step_size()
    {
        var schedule = new StepSchedule(step_size: 30, gamma: 0.1);
        Assert.Equal(1.0, schedule.Factor(29), 12);
        Assert.Equal(0.1, schedule.Factor(30), 12);
        Assert.Equal(0.01, schedule.Factor(60), 12);
    }

    [Fact]
    public void The_schedule_sets_every_groups_learning_rate_from_its_base()
    {
        using var linear = new Linear(2, 2);
        using var optimizer = new SGD(ParamGroup.NoDecayOnNormsAndBiases(linear, lr: 0.5, weight_decay: 0.01));
        new StepSchedule(step_size: 1, gamma: 0.5).Apply(optimizer, step: 2);
        Assert.All(optimizer.param_groups, g => Assert.Equal(0.125, g.lr, 12));
        Assert.Equal([0.0, 0.01], optimizer.param_groups.Select(g => g.weight_decay));   // bias without decay, weight with
    }

    [Fact]
    public void Clipping_scales_all_gradients_to_the_joint_norm()
    {
        using var scope = torch.NewDisposeScope();
        var a = torch.tensor([3f]).requires_grad_();
        var b = torch.tensor([4f]).requires_grad_();
        (a * a * 0.5 + b * b * 0.5).sum().backward();   // gradients 3 and 4: joint norm 5
        double norm = GradientClipping.clip_grad_norm_([a, b], max_norm: 1.0);
        Assert.Equal(5.0, norm, 5);
        Assert.Equal(0.6f, a.grad!.item<float>(), 5);    // 3 · 1 / (5 + 1e-6)
        Assert.Equal(0.8f, b.grad!.item<float>(), 5);
    }
}
