using System.Runtime.InteropServices;

namespace ArchDsl.Runtime.Native;

/// <summary>The ABI's <c>archdsl_scalar</c>: integral scalars stay integral so int64 tensors keep their dtype.</summary>
[StructLayout(LayoutKind.Sequential)]
internal readonly struct NativeScalar
{
    private readonly double _f;
    private readonly long _i;
    private readonly int _isInt;

    private NativeScalar(double f, long i, bool isInt)
    {
        _f = f;
        _i = i;
        _isInt = isInt ? 1 : 0;
    }

    public static NativeScalar Of(double value) => new(value, 0, false);

    public static NativeScalar Of(long value) => new(0, value, true);
}
