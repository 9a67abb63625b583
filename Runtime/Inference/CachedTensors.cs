using System;
using System.Linq;

namespace ArchDsl.Runtime;

/// <summary>
/// Tensors the inference plan derives from a module's own (folded weights, a gathered bias), computed on first use and
/// again whenever a source tensor changed in place (its version counter moved). Tensors made under inference mode keep
/// no version counter: for them, <see cref="Module.load_state_dict"/> and every change of mode start afresh.
/// </summary>
public sealed class CachedTensors : IDisposable
{
    private readonly Func<Tensor?[]> _sources;
    private readonly Func<Tensor[]> _compute;
    private Tensor[]? _values;
    private long[]? _versions;

    /// <param name="sources">The tensors the values are computed from (null entries are absent tensors, e.g. no bias).</param>
    /// <param name="compute">Computes the values (run under no_grad; they are detached from every dispose scope).</param>
    internal CachedTensors(Func<Tensor?[]> sources, Func<Tensor[]> compute)
    {
        _sources = sources;
        _compute = compute;
    }

    public Tensor[] Get()
    {
        var versions = _sources().Select(t => t?._version ?? 0).ToArray();
        if (_values is not null && _versions is not null && versions.AsSpan().SequenceEqual(_versions)) return _values;
        Forget();
        // not part of any forward pass: no graph, and no op recorder or MAC observer sees it
        using (new QuietScope())
        using (torch.no_grad())
        using (torch.NewDisposeScope())
            _values = _compute().Select(t => t.contiguous().DetachFromDisposeScope()).ToArray();
        _versions = versions;
        return _values;
    }

    /// <summary>Drops the values; the next <see cref="Get"/> computes them again.</summary>
    public void Forget()
    {
        if (_values is not null)
        {
            foreach (var t in _values) t.Dispose();
        }
        _values = null;
        _versions = null;
    }

    public void Dispose() => Forget();
}
