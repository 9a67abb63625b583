using System;
using System.Collections.Generic;

namespace ArchDsl.Runtime;

/// <summary>Collects the tensors created on this thread while it is the innermost open scope and
/// disposes them when it is disposed (TorchSharp semantics). Open one with <see cref="torch.NewDisposeScope"/>;
/// keep results with <see cref="MoveToOuter(Tensor)"/> or <see cref="Detach(Tensor)"/>.</summary>
public sealed class DisposeScope : IDisposable
{
    private readonly List<DisposeScope> _stack;
    private readonly DisposeScope? _outer;
    private HashSet<Tensor> _tensors = new(ReferenceEqualityComparer.Instance);

    internal DisposeScope(List<DisposeScope> stack, DisposeScope? outer)
    {
        _stack = stack;
        _outer = outer;
    }

    /// <summary>The nearest enclosing scope that is still open, or null.</summary>
    public DisposeScope? OuterScope
    {
        get
        {
            var outer = _outer;
            while (outer is { IsDisposed: true }) outer = outer._outer;
            return outer;
        }
    }

    public bool IsDisposed { get; private set; }

    /// <summary>Number of tensors this scope will dispose.</summary>
    public int DisposablesCount => _tensors.Count;

    public bool Contains(Tensor tensor) => _tensors.Contains(tensor);

    /// <summary>Makes this scope responsible for <paramref name="tensor"/> (taking it from its current scope).</summary>
    public Tensor Attach(Tensor tensor)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        tensor.OwningDisposeScope?.Forget(tensor);
        _tensors.Add(tensor);
        tensor.OwningDisposeScope = this;
        return tensor;
    }

    /// <summary>Hands <paramref name="tensor"/> to the enclosing scope, or out of all scopes if there is none.
    /// A tensor this scope does not hold is left where it is.</summary>
    public Tensor MoveToOuter(Tensor tensor)
    {
        if (!_tensors.Contains(tensor)) return tensor;
        if (OuterScope is { } outer) outer.Attach(tensor);
        else Detach(tensor);
        return tensor;
    }

    public (Tensor, Tensor) MoveToOuter(Tensor first, Tensor second) => (MoveToOuter(first), MoveToOuter(second));

    public void MoveToOuter(IEnumerable<Tensor> tensors)
    {
        foreach (var t in tensors) MoveToOuter(t);
    }

    /// <summary>Takes <paramref name="tensor"/> out of this scope; only an explicit Dispose frees it then.</summary>
    public Tensor Detach(Tensor tensor)
    {
        if (_tensors.Remove(tensor)) tensor.OwningDisposeScope = null;
        return tensor;
    }

    public void Detach(IEnumerable<Tensor> tensors)
    {
        foreach (var t in tensors) Detach(t);
    }

    /// <summary>Disposes every tensor the scope holds except <paramref name="keep"/>; the scope stays open.</summary>
    public void DisposeEverythingBut(params Tensor[] keep)
    {
        var held = _tensors;
        _tensors = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        foreach (var t in keep)
        {
            if (held.Remove(t)) _tensors.Add(t);
        }
        foreach (var t in held)
        {
            t.OwningDisposeScope = null;
            t.Dispose();
        }
    }

    public void DisposeEverything() => DisposeEverythingBut();

    public void Dispose()
    {
        if (IsDisposed) return;
        DisposeEverything();
        IsDisposed = true;
        // normally the innermost scope; scopes disposed out of order are simply removed
        int index = _stack.LastIndexOf(this);
        if (index >= 0) _stack.RemoveAt(index);
    }

    internal void Forget(Tensor tensor)
    {
        _tensors.Remove(tensor);
        tensor.OwningDisposeScope = null;
    }
}
