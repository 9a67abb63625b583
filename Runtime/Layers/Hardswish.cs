using ArchDsl.Runtime.Native;

namespace ArchDsl.Runtime;

/// <summary>x * relu6(x + 3) / 6.</summary>
public sealed class Hardswish : Activation
{
    public Hardswish(string name = "Hardswish") : base(name) { }

    private protected override NativeMethods.Unary Function => NativeMethods.Unary.Hardswish;
}
