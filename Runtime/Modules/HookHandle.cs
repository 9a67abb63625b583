using System;

namespace ArchDsl.Runtime;

/// <summary>Removes a registered hook (PyTorch's RemovableHandle); removing twice is harmless.</summary>
public sealed class HookHandle : IDisposable
{
    private Action? _remove;

    internal HookHandle(Action remove) => _remove = remove;

    public void remove()
    {
        _remove?.Invoke();
        _remove = null;
    }

    public void Dispose() => remove();
}
