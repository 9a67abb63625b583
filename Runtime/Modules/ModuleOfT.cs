using System;
using System.Collections.Generic;

namespace ArchDsl.Runtime;

/// <summary>A module with a typed <see cref="forward"/>. Parents invoke children through <see cref="call"/>,
/// which runs the forward pre-hooks, forward, then the forward hooks (in registration order), and tells an open
/// <see cref="OpRecorder"/> which module the operations belong to.</summary>
public abstract class Module<TIn, TOut> : Module
{
    private readonly List<(int id, Action<Module<TIn, TOut>, TIn> hook)> _preHooks = new();
    private readonly List<(int id, Action<Module<TIn, TOut>, TIn, TOut> hook)> _hooks = new();
    private int _nextHookId;

    protected Module(string name) : base(name) { }

    public abstract TOut forward(TIn input);

    /// <summary>Runs the module under the grad mode <see cref="GradMode"/> describes (outside every scope: no graph in
    /// eval, gradients in training).</summary>
    public TOut call(TIn input)
    {
        var mode = GradMode.ForModuleCall(training);
        if (mode == GradMode.Current) return Run(input);
        var previous = GradMode.Enter(mode);
        try
        {
            return Run(input);
        }
        finally
        {
            GradMode.Restore(previous);
        }
    }

    private TOut Run(TIn input)
    {
        if (!OpRecorder.IsActive) return Invoke(input);
        // an open OpRecorder attributes the ops run inside to this module
        OpRecorder.EnterModule(this);
        try
        {
            return Invoke(input);
        }
        finally
        {
            OpRecorder.ExitModule(this);
        }
    }

    private TOut Invoke(TIn input)
    {
        if (QuietScope.Active || (_preHooks.Count == 0 && _hooks.Count == 0)) return forward(input);
        // snapshots let a hook remove itself while running
        foreach (var (_, hook) in _preHooks.ToArray()) hook(this, input);
        var output = forward(input);
        foreach (var (_, hook) in _hooks.ToArray()) hook(this, input, output);
        return output;
    }

    /// <summary>Runs <paramref name="hook"/>(module, input) before every <see cref="call"/>; dispose the handle to remove it.</summary>
    public HookHandle register_forward_pre_hook(Action<Module<TIn, TOut>, TIn> hook)
    {
        ArgumentNullException.ThrowIfNull(hook);
        int id = _nextHookId++;
        _preHooks.Add((id, hook));
        return new HookHandle(() => _preHooks.RemoveAll(h => h.id == id));
    }

    /// <summary>Runs <paramref name="hook"/>(module, input, output) after every <see cref="call"/>; dispose the handle to remove it.</summary>
    public HookHandle register_forward_hook(Action<Module<TIn, TOut>, TIn, TOut> hook)
    {
        ArgumentNullException.ThrowIfNull(hook);
        int id = _nextHookId++;
        _hooks.Add((id, hook));
        return new HookHandle(() => _hooks.RemoveAll(h => h.id == id));
    }
}
