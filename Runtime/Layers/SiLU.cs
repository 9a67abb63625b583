using ArchDsl.Runtime.Native;

namespace ArchDsl.Runtime;

/// <summary>x * sigmoid(x) (swish).</summary>
public sealed class SiLU : Activation
{
    public SiLU(string name = "SiLU") : base(name) { }

    private protected override NativeMethods.Unary Function => NativeMethods.Unary.Silu;
}
