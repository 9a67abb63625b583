using System;
using System.Collections.Generic;

namespace ArchDsl.Runtime;

/// <summary>
/// Measures multiply-accumulates during forward passes: forward hooks on every Conv2d, ConvTranspose2d, Linear and MultiheadAttention (its in_proj)
/// of a model, plus the matmul/bmm calls seen by an <see cref="OpObserver"/>. This is the run-time counterpart of
/// the analytic <c>macs</c> convention (weights and attention matmuls, nothing else).
/// </summary>
public sealed class MacCounter : IDisposable
{
    private readonly List<HookHandle> _hooks = new();
    private readonly OpObserver _observer;
    private readonly Dictionary<string, long> _byModule = new();

    private MacCounter(Module model)
    {
        foreach (var (path, module) in model.named_modules())
        {
            switch (module)
            {
                case Conv2d conv:
                    _hooks.Add(conv.register_forward_hook((m, _, y) =>
                        Add(path, y.numel() * (conv.in_channels / conv.groups) * conv.kernel_size.h * conv.kernel_size.w)));
                    break;
                case ConvTranspose2d convT:
                    _hooks.Add(convT.register_forward_hook((m, x, _) =>
                        Add(path, x.numel() * (convT.out_channels / convT.groups) * convT.kernel_size * convT.kernel_size)));
                    break;
                case Linear linear:
                    _hooks.Add(linear.register_forward_hook((m, _, y) => Add(path, y.numel() * linear.in_features)));
                    break;
                case MultiheadAttention attention:
                    // the fused q, k, v projection (in_proj_weight); out_proj is a Linear hooked on its own
                    _hooks.Add(attention.register_forward_hook((m, x, _) => Add(path, x.numel() * 3 * attention.embed_dim)));
                    break;
            }
        }
        _observer = OpObserver.Start();
    }

    /// <summary>Starts counting; dispose to remove the hooks.</summary>
    public static MacCounter Attach(Module model) => new MacCounter(model);

    /// <summary>Conv and linear MACs per module path.</summary>
    public IReadOnlyDictionary<string, long> ByModule => _byModule;

    public long LayerMacs { get; private set; }
    public long MatMulMacs => _observer.MatMulMacs;
    public long Total => LayerMacs + MatMulMacs;

    private void Add(string path, long macs)
    {
        LayerMacs += macs;
        _byModule[path] = _byModule.TryGetValue(path, out var sum) ? sum + macs : macs;
    }

    public void Dispose()
    {
        foreach (var hook in _hooks) hook.Dispose();
        _observer.Dispose();
    }
}
