using System;
using ArchDsl.Runtime.Native;

namespace ArchDsl.Runtime;

/// <summary>
/// The autograd mode of the current thread, set by the scopes <see cref="torch.no_grad"/>, <see cref="torch.enable_grad"/>
/// and <see cref="torch.inference_mode"/> (each restores the previous mode when disposed).
/// <para>Outside every scope a module call decides for itself and everything it calls: a module in eval mode records no
/// graph (as under no_grad), a module in train mode records one. Plain tensor operations outside any scope record a graph,
/// as in PyTorch, for tensors that require grad. Inference mode, libtorch's fastest evaluation, is used only where asked
/// for: its outputs are inference tensors, which autograd cannot save, so making it implicit would break code that feeds
/// an eval-mode module's output (a frozen backbone's features) into a trained one.</para>
/// </summary>
public static class GradMode
{
    internal enum Kind { Unset, Enabled, Disabled, Inference }

    [ThreadStatic] private static Kind t_current;

    internal static Kind Current => t_current;

    public static bool IsEnabled => t_current is Kind.Unset or Kind.Enabled;

    public static bool IsInference => t_current == Kind.Inference;

    /// <summary>Switches the thread to <paramref name="mode"/> and returns the mode to restore.</summary>
    internal static Kind Enter(Kind mode)
    {
        var previous = t_current;
        if (NativeOf(mode) != NativeOf(previous)) NativeMethods.Check(NativeMethods.archdsl_set_grad_mode(NativeOf(mode)));
        t_current = mode;
        return previous;
    }

    internal static void Restore(Kind previous) => Enter(previous);

    /// <summary>The scope for writing into parameters and buffers in place (initialisation, loading, folding): no graph,
    /// and under inference mode no change, since tensors made under it (a model built in inference mode) only inference
    /// mode may write. Null when nothing is to change.</summary>
    internal static IDisposable? ForParameterWrites() => IsInference ? null : new Scope(Kind.Disabled);

    /// <summary>The mode a module call runs under: the enclosing scope's, or (outside every scope) no gradients for a
    /// module in eval mode and gradients for one in train mode.</summary>
    internal static Kind ForModuleCall(bool training) =>
        t_current != Kind.Unset ? t_current : training ? Kind.Enabled : Kind.Disabled;

    private static NativeMethods.GradMode NativeOf(Kind mode) => mode switch
    {
        Kind.Inference => NativeMethods.GradMode.Inference,
        Kind.Disabled => NativeMethods.GradMode.NoGrad,
        _ => NativeMethods.GradMode.Grad,
    };

    internal sealed class Scope : IDisposable
    {
        private readonly Kind _previous;
        private bool _disposed;

        internal Scope(Kind mode) => _previous = Enter(mode);

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            Restore(_previous);
        }
    }
}
