using System;
using System.Runtime.InteropServices;
using ArchDsl.Runtime.Native;
using static ArchDsl.Runtime.Native.NativeMethods;

namespace ArchDsl.Runtime;

/// <summary>A libtorch tensor (CPU). Every operation returns a new tensor that the caller owns: dispose
/// it, or create it inside a <see cref="DisposeScope"/>. Using a disposed tensor throws
/// <see cref="ObjectDisposedException"/>; disposing twice is harmless.</summary>
public sealed partial class Tensor : IDisposable
{
    private readonly TensorHandle _handle;
    private long[]? _shape;
    private ScalarType? _dtype;

    static Tensor() => NativeRuntime.EnsureDefaults();

    internal Tensor(TensorHandle handle)
    {
        _handle = handle;
        DisposeScopeManager.Register(this);
    }

    /// <summary>Native tensor handles alive in this process (created and not yet freed), for leak checks.</summary>
    public static long LiveCount => archdsl_live_tensors();

    /// <summary>The dispose scope that will dispose this tensor, if any.</summary>
    public DisposeScope? OwningDisposeScope { get; internal set; }

    public bool IsDisposed => _handle.IsClosed;

    internal TensorHandle Handle
    {
        get
        {
            ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
            return _handle;
        }
    }

    /// <summary>Checks a native status and wraps the produced handle.</summary>
    internal static Tensor Wrap(int status, TensorHandle result)
    {
        if (status != 0)
        {
            result.Dispose();
            Check(status);
        }
        return new Tensor(result);
    }

    public void Dispose()
    {
        if (_handle.IsClosed) return;
        OwningDisposeScope?.Forget(this);
        _handle.Dispose();
    }

    // ---- inspection ----

    /// <summary>The sizes of the dimensions (a fresh copy).</summary>
    public long[] shape => (long[])Shape.Clone();

    internal long[] Shape
    {
        get
        {
            if (_shape is null)
            {
                Check(archdsl_dim(Handle, out long rank));
                var sizes = new long[rank];
                unsafe
                {
                    fixed (long* p = sizes) Check(archdsl_shape(Handle, p, rank));
                }
                _shape = sizes;
            }
            ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
            return _shape;
        }
    }

    public ScalarType dtype
    {
        get
        {
            if (_dtype is null)
            {
                Check(archdsl_dtype(Handle, out int code));
                _dtype = (ScalarType)code;
            }
            ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
            return _dtype.Value;
        }
    }

    public long dim() => Shape.Length;

    public long ndim => Shape.Length;

    /// <summary>Size of one dimension; negative indices count from the end.</summary>
    public long size(long dim) => Shape[NormalizeDim(dim)];

    public long numel()
    {
        long n = 1;
        foreach (var s in Shape) n *= s;
        return n;
    }

    public long element_size() => ScalarTypes.ElementSize(dtype);

    public bool is_contiguous()
    {
        Check(archdsl_is_contiguous(Handle, out int result));
        return result != 0;
    }

    public override string ToString() =>
        _handle.IsClosed ? "Tensor(disposed)" : $"Tensor({ShapeCheck.Format(Shape)}, {dtype})";

    // ---- data access ----

    /// <summary>Copies the elements, in row-major order, into a new array. <typeparamref name="T"/> must match <see cref="dtype"/>.</summary>
    public T[] data<T>() where T : unmanaged
    {
        var result = new T[checked((int)numel())];
        CopyTo<T>(result);
        return result;
    }

    /// <summary>The single element of a one-element tensor.</summary>
    public T item<T>() where T : unmanaged
    {
        if (numel() != 1) throw new InvalidOperationException($"item() needs a tensor with one element, this one has shape {ShapeCheck.Format(Shape)}");
        Span<T> one = stackalloc T[1];
        CopyTo(one);
        return one[0];
    }

    /// <summary>Copies the elements, in row-major order, into <paramref name="destination"/> (exactly numel() long).</summary>
    public void CopyTo<T>(Span<T> destination) where T : unmanaged
    {
        var expected = ScalarTypes.Of<T>();
        if (expected != dtype) throw new InvalidOperationException($"tensor has dtype {dtype}; reading it as {typeof(T).Name} needs {expected}");
        if (destination.Length != numel()) throw new ArgumentException($"destination holds {destination.Length} elements, tensor has {numel()}", nameof(destination));
        CopyBytesTo(MemoryMarshal.AsBytes(destination));
    }

    /// <summary>Copies the raw little-endian element bytes (numel() * element_size() of them), e.g. for BFloat16.</summary>
    public byte[] bytes()
    {
        var result = new byte[checked((int)(numel() * element_size()))];
        CopyBytesTo(result);
        return result;
    }

    internal unsafe void CopyBytesTo(Span<byte> destination)
    {
        fixed (byte* p = destination) Check(archdsl_copy_to(Handle, p, destination.Length));
    }

    /// <summary>Address of the first element of a contiguous tensor; valid while this tensor is alive.</summary>
    internal IntPtr DataPointer()
    {
        Check(archdsl_data_ptr(Handle, out IntPtr result));
        return result;
    }

    // ---- in place ----

    /// <summary>Copies <paramref name="src"/> into this tensor (broadcasting and converting dtype).</summary>
    public Tensor copy_(Tensor src)
    {
        Check(archdsl_copy_(Handle, src.Handle));
        return this;
    }

    public Tensor fill_(double value)
    {
        Check(archdsl_fill_(Handle, NativeScalar.Of(value)));
        return this;
    }

    public Tensor fill_(long value)
    {
        Check(archdsl_fill_(Handle, NativeScalar.Of(value)));
        return this;
    }

    // ---- dispose scopes ----

    /// <summary>Moves this tensor to the scope enclosing its current scope (or out of all scopes).</summary>
    public Tensor MoveToOuterDisposeScope()
    {
        OwningDisposeScope?.MoveToOuter(this);
        return this;
    }

    /// <summary>Takes this tensor out of its dispose scope: only an explicit Dispose (or the finalizer) frees it.</summary>
    public Tensor DetachFromDisposeScope()
    {
        OwningDisposeScope?.Detach(this);
        return this;
    }

    internal int NormalizeDim(long dim)
    {
        int rank = Shape.Length;
        long d = dim < 0 ? dim + rank : dim;
        if (d < 0 || d >= rank) throw new ArgumentOutOfRangeException(nameof(dim), dim, $"dimension out of range for a tensor of rank {rank}");
        return (int)d;
    }
}
