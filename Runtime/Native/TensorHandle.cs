using System;
using System.Runtime.InteropServices;

namespace ArchDsl.Runtime.Native;

/// <summary>Owns one native tensor handle (a heap-allocated <c>at::Tensor</c>). The SafeHandle
/// machinery keeps it alive during native calls and frees it from its finalizer as a backstop.</summary>
internal sealed class TensorHandle : SafeHandle
{
    /// <summary>Passed where the ABI accepts a missing tensor (e.g. no bias). Never released.</summary>
    internal static readonly TensorHandle Null = new();

    public TensorHandle() : base(IntPtr.Zero, ownsHandle: true) { }

    internal TensorHandle(IntPtr handle) : base(IntPtr.Zero, ownsHandle: true) => SetHandle(handle);

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        NativeMethods.archdsl_free(handle);
        return true;
    }
}
