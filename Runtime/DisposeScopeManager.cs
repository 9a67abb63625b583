using System.Collections.Generic;

namespace ArchDsl.Runtime;

/// <summary>The stack of dispose scopes open on the current thread.</summary>
internal static class DisposeScopeManager
{
    [System.ThreadStatic] private static List<DisposeScope>? t_scopes;

    internal static DisposeScope? Current => t_scopes is { Count: > 0 } scopes ? scopes[^1] : null;

    internal static DisposeScope Open()
    {
        var scopes = t_scopes ??= new List<DisposeScope>();
        var scope = new DisposeScope(scopes, Current);
        scopes.Add(scope);
        return scope;
    }

    /// <summary>A new tensor joins the innermost scope of the thread that created it.</summary>
    internal static void Register(Tensor tensor) => Current?.Attach(tensor);
}
