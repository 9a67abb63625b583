using System.Collections.Generic;

namespace ArchDsl.Runtime;

/// <summary>Named children held for registration only (no forward), like PyTorch's nn.ModuleDict.</summary>
public sealed class ModuleDict : Module
{
    public ModuleDict() : base("ModuleDict") { }

    public Module this[string key] => TryGetChild(key, out var child) ? child : throw new KeyNotFoundException($"{name} has no child '{key}'");

    public bool ContainsKey(string key) => TryGetChild(key, out _);
}
