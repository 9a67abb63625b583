using System;
using ArchDsl.Runtime.Native;
using static ArchDsl.Runtime.Native.NativeMethods;

namespace ArchDsl.Runtime;

// Autograd (PyTorch's names) and the in-place updates optimizers need.
public sealed partial class Tensor
{
    public bool requires_grad
    {
        get => Flags().requiresGrad;
        set => requires_grad_(value);
    }

    /// <summary>True for a tensor no recorded operation produced (parameters, inputs); only leaves keep a <see cref="grad"/>.</summary>
    public bool is_leaf => Flags().isLeaf;

    /// <summary>True for a tensor made under inference mode: autograd cannot save it (clone it outside inference mode).</summary>
    public bool is_inference() => Flags().isInference;

    private (bool requiresGrad, bool isLeaf, bool isInference) Flags()
    {
        Check(archdsl_autograd_flags(Handle, out int requiresGrad, out int isLeaf, out int isInference));
        return (requiresGrad != 0, isLeaf != 0, isInference != 0);
    }

    /// <summary>PyTorch's <c>_version</c>: incremented by every in-place change; -1 for an inference tensor (none kept).</summary>
    public long _version
    {
        get
        {
            Check(archdsl_version(Handle, out long version));
            return version;
        }
    }

    public Tensor requires_grad_(bool requires_grad = true)
    {
        Check(archdsl_set_requires_grad(Handle, requires_grad ? 1 : 0));
        return this;
    }

    /// <summary>Accumulates the gradient of this tensor (a scalar, or weighted by <paramref name="gradient"/>) into the
    /// <see cref="grad"/> of every leaf that requires grad, and frees the graph.</summary>
    public void backward(Tensor? gradient = null) => Check(archdsl_backward(Handle, gradient?.Handle ?? TensorHandle.Null));

    /// <summary>The accumulated gradient, or null. A new handle on the same storage (in-place changes reach the
    /// gradient); the caller owns it.</summary>
    public Tensor? grad
    {
        get
        {
            int status = archdsl_grad(Handle, out var r);
            if (status == 0 && r.IsInvalid)
            {
                r.Dispose();
                return null;
            }
            return Wrap(status, r);
        }
    }

    /// <summary>Drops the gradient (PyTorch's <c>grad = None</c>).</summary>
    public void clear_grad() => Check(archdsl_clear_grad(Handle));

    /// <summary>The same data, cut from the graph.</summary>
    public Tensor detach() => Unary(NativeMethods.Unary.Detach);

    // ---- in-place updates (optimizers run them under torch.no_grad) ----

    public Tensor mul_(double value) => Update(NativeMethods.Update.Mul, null, null, value);

    /// <summary>this += alpha · other</summary>
    public Tensor add_(Tensor other, double alpha = 1) => Update(NativeMethods.Update.Add, other, null, alpha);

    /// <summary>this += value · a · b</summary>
    public Tensor addcmul_(Tensor a, Tensor b, double value = 1) => Update(NativeMethods.Update.AddCMul, a, b, value);

    /// <summary>this += value · a / b</summary>
    public Tensor addcdiv_(Tensor a, Tensor b, double value = 1) => Update(NativeMethods.Update.AddCDiv, a, b, value);

    private Tensor Update(NativeMethods.Update op, Tensor? a, Tensor? b, double value)
    {
        Check(archdsl_update_(op, Handle, a?.Handle ?? TensorHandle.Null, b?.Handle ?? TensorHandle.Null, value));
        return this;
    }
}
