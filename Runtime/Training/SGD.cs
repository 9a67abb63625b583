using System;
using System.Collections.Generic;

namespace ArchDsl.Runtime;

/// <summary>Stochastic gradient descent with momentum, Nesterov momentum and L2 weight decay: torch.optim.SGD's update
/// (PyTorch 1.13, dampening 0):
/// g ← grad + wd·p; b ← g on the first step, else μ·b + g; g ← g + μ·b if nesterov, else b; p ← p − lr·g.</summary>
public sealed class SGD : Optimizer
{
    public SGD(IReadOnlyList<ParamGroup> param_groups, double momentum = 0, bool nesterov = false) : base(param_groups)
    {
        if (momentum < 0) throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "momentum must be non-negative");
        if (nesterov && momentum == 0) throw new ArgumentException("Nesterov momentum needs a momentum above zero", nameof(nesterov));
        this.momentum = momentum;
        this.nesterov = nesterov;
    }

    public double momentum { get; }
    public bool nesterov { get; }

    protected override void Update(ParamGroup group, Tensor parameter, Tensor grad, Dictionary<string, Tensor> state)
    {
        var g = group.weight_decay != 0 ? grad + parameter * group.weight_decay : grad;
        if (momentum != 0)
        {
            if (state.TryGetValue("momentum_buffer", out var buffer)) buffer.mul_(momentum).add_(g);
            else state["momentum_buffer"] = buffer = Keep(g.clone());
            g = nesterov ? g + buffer * momentum : buffer;
        }
        parameter.add_(g, -group.lr);
    }
}
