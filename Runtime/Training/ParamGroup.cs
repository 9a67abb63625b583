using System;
using System.Collections.Generic;
using System.Linq;

namespace ArchDsl.Runtime;

/// <summary>Parameters (with their state_dict names, which key the optimizer state in checkpoints) that share a
/// learning rate and weight decay, as in torch.optim's param_groups.</summary>
public sealed class ParamGroup
{
    public ParamGroup(IEnumerable<(string name, Tensor parameter)> parameters, double lr, double weight_decay)
    {
        this.parameters = parameters.ToList();
        if (this.parameters.Count == 0) throw new ArgumentException("a parameter group needs at least one parameter", nameof(parameters));
        base_lr = this.lr = lr;
        this.weight_decay = weight_decay;
    }

    public IReadOnlyList<(string name, Tensor parameter)> parameters { get; }

    /// <summary>The learning rate of the next step (a schedule sets it from <see cref="base_lr"/>).</summary>
    public double lr { get; set; }

    public double base_lr { get; }

    public double weight_decay { get; }

    /// <summary>timm's grouping (param_groups_weight_decay): biases and every 1-d parameter (norm weights, layer scales)
    /// get no weight decay, the rest <paramref name="weight_decay"/>. Frozen parameters are left out.</summary>
    public static IReadOnlyList<ParamGroup> NoDecayOnNormsAndBiases(Module module, double lr, double weight_decay)
    {
        var trainable = module.named_parameters().Where(p => p.parameter.requires_grad).ToList();
        var noDecay = trainable.Where(p => p.parameter.dim() <= 1 || p.name.EndsWith(".bias", StringComparison.Ordinal)).ToList();
        var decay = trainable.Except(noDecay).ToList();
        var groups = new List<ParamGroup>();
        if (noDecay.Count > 0) groups.Add(new ParamGroup(noDecay, lr, 0.0));
        if (decay.Count > 0) groups.Add(new ParamGroup(decay, lr, weight_decay));
        return groups;
    }

    /// <summary>One group of every trainable parameter of <paramref name="module"/>.</summary>
    public static IReadOnlyList<ParamGroup> All(Module module, double lr, double weight_decay) =>
        [new ParamGroup(module.named_parameters().Where(p => p.parameter.requires_grad), lr, weight_decay)];
}
