using System.Collections.Generic;

namespace ArchDsl.Runtime;

/// <summary>AdamW (Loshchilov &amp; Hutter, 2019): Adam with decoupled weight decay, torch.optim.AdamW's update (PyTorch
/// 1.13, amsgrad off). Set the decay per <see cref="ParamGroup"/> (PyTorch's default is 0.01).</summary>
public sealed class AdamW : Adam
{
    public AdamW(IReadOnlyList<ParamGroup> param_groups, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8)
        : base(param_groups, beta1, beta2, eps, decoupled_weight_decay: true) { }
}
