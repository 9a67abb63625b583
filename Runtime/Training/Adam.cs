using System;
using System.Collections.Generic;

namespace ArchDsl.Runtime;

/// <summary>Adam (Kingma &amp; Ba, 2015) with L2 weight decay added to the gradient: torch.optim.Adam's update (PyTorch
/// 1.13, amsgrad off). <see cref="AdamW"/> decays the weights directly instead.</summary>
public class Adam : Optimizer
{
    public Adam(IReadOnlyList<ParamGroup> param_groups, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8)
        : this(param_groups, beta1, beta2, eps, decoupled_weight_decay: false) { }

    protected Adam(IReadOnlyList<ParamGroup> param_groups, double beta1, double beta2, double eps, bool decoupled_weight_decay)
        : base(param_groups)
    {
        if (beta1 is < 0 or >= 1 || beta2 is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(beta1), "betas must be in [0, 1)");
        if (eps < 0) throw new ArgumentOutOfRangeException(nameof(eps), eps, "eps must be non-negative");
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.decoupled_weight_decay = decoupled_weight_decay;
    }

    public double beta1 { get; }
    public double beta2 { get; }
    public double eps { get; }

    /// <summary>True for AdamW: p ← p·(1 − lr·wd) before the Adam step instead of adding wd·p to the gradient.</summary>
    public bool decoupled_weight_decay { get; }

    // m ← β1·m + (1 − β1)·g; v ← β2·v + (1 − β2)·g²; p ← p − lr/(1 − β1^t) · m / (√v / √(1 − β2^t) + ε)
    protected override void Update(ParamGroup group, Tensor parameter, Tensor grad, Dictionary<string, Tensor> state)
    {
        var g = grad;
        if (group.weight_decay != 0)
        {
            if (decoupled_weight_decay) parameter.mul_(1 - group.lr * group.weight_decay);
            else g = grad + parameter * group.weight_decay;
        }
        if (!state.TryGetValue("step", out var stepTensor))
        {
            state["step"] = stepTensor = Keep(torch.zeros([], ScalarType.Int64));
            state["exp_avg"] = Keep(torch.zeros(parameter.shape, parameter.dtype));
            state["exp_avg_sq"] = Keep(torch.zeros(parameter.shape, parameter.dtype));
        }
        using (var next = stepTensor + 1L) stepTensor.copy_(next);
        long step = stepTensor.item<long>();
        var (m, v) = (state["exp_avg"], state["exp_avg_sq"]);
        m.mul_(beta1).add_(g, 1 - beta1);
        v.mul_(beta2).addcmul_(g, g, 1 - beta2);
        double biasCorrection1 = 1 - Math.Pow(beta1, step);
        double biasCorrection2 = 1 - Math.Pow(beta2, step);
        var denominator = v.sqrt() / Math.Sqrt(biasCorrection2) + eps;
        parameter.addcdiv_(m, denominator, -group.lr / biasCorrection1);
    }
}
