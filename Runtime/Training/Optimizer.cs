using System;
using System.Collections.Generic;
using System.Linq;

namespace ArchDsl.Runtime;

/// <summary>
/// The base of the optimizers: parameter groups, per-parameter state tensors and <see cref="step"/>. The optimizers are
/// written here over tensor operations, following torch.optim's documented update rules line by line, rather than bound
/// from libtorch's torch::optim: that keeps the rules legible next to their PyTorch source, lets schedules change a
/// group's learning rate between steps, and keeps the state in named tensors that checkpoints save as safetensors.
/// </summary>
public abstract class Optimizer : IDisposable
{
    private readonly Dictionary<string, Dictionary<string, Tensor>> _state = new();

    protected Optimizer(IReadOnlyList<ParamGroup> param_groups)
    {
        if (param_groups.Count == 0) throw new ArgumentException("an optimizer needs at least one parameter group", nameof(param_groups));
        var names = param_groups.SelectMany(g => g.parameters).Select(p => p.name).ToList();
        if (names.Distinct().Count() != names.Count) throw new ArgumentException("a parameter appears in two groups", nameof(param_groups));
        this.param_groups = param_groups;
    }

    public IReadOnlyList<ParamGroup> param_groups { get; }

    /// <summary>Drops the gradient of every parameter (set_to_none, PyTorch 2's default).</summary>
    public void zero_grad()
    {
        foreach (var group in param_groups)
            foreach (var (_, p) in group.parameters) p.clear_grad();
    }

    /// <summary>Updates every parameter that has a gradient, under no_grad.</summary>
    public void step()
    {
        using var noGrad = torch.no_grad();
        foreach (var group in param_groups)
        {
            foreach (var (name, p) in group.parameters)
            {
                using var grad = p.grad;
                if (grad is null) continue;
                if (!_state.TryGetValue(name, out var state)) _state[name] = state = new Dictionary<string, Tensor>();
                using var scope = torch.NewDisposeScope();
                Update(group, p, grad, state);
            }
        }
    }

    /// <summary>One parameter's update; <paramref name="state"/> persists between steps (tensors created for it must be
    /// detached from the dispose scope the step opens, see <see cref="Keep"/>).</summary>
    protected abstract void Update(ParamGroup group, Tensor parameter, Tensor grad, Dictionary<string, Tensor> state);

    protected static Tensor Keep(Tensor t) => t.DetachFromDisposeScope();

    /// <summary>Every state tensor as <c>parameter name/slot</c> (e.g. <c>head.weight/exp_avg</c>); the optimizer's own
    /// tensors, do not dispose them.</summary>
    public OrderedDictionary<string, Tensor> state_dict()
    {
        var result = new OrderedDictionary<string, Tensor>();
        foreach (var (name, slots) in _state)
            foreach (var (slot, t) in slots) result[name + "/" + slot] = t;
        return result;
    }

    /// <summary>Replaces the state with copies of <paramref name="state_dict"/>'s tensors (keys as written by
    /// <see cref="state_dict"/>); a key naming no parameter of this optimizer is an error.</summary>
    public void load_state_dict(IReadOnlyDictionary<string, Tensor> state_dict)
    {
        var known = param_groups.SelectMany(g => g.parameters).Select(p => p.name).ToHashSet();
        var unknown = state_dict.Keys.Where(k => k.IndexOf('/') is var i && (i < 0 || !known.Contains(k[..i]))).ToList();
        if (unknown.Count > 0) throw new ArgumentException($"optimizer state names no parameter of this optimizer: {string.Join(", ", unknown.Take(5))}");
        ClearState();
        foreach (var (key, t) in state_dict)
        {
            int slash = key.IndexOf('/');
            var name = key[..slash];
            if (!_state.TryGetValue(name, out var slots)) _state[name] = slots = new Dictionary<string, Tensor>();
            slots[key[(slash + 1)..]] = Keep(t.clone());
        }
    }

    private void ClearState()
    {
        foreach (var slots in _state.Values)
            foreach (var t in slots.Values) t.Dispose();
        _state.Clear();
    }

    public void Dispose()
    {
        ClearState();
        GC.SuppressFinalize(this);
    }
}
