using ArchDsl.Runtime.Native;

namespace ArchDsl.Runtime;

/// <summary>max(x, 0).</summary>
public sealed class ReLU : Activation
{
    public ReLU(string name = "ReLU") : base(name) { }

    private protected override NativeMethods.Unary Function => NativeMethods.Unary.Relu;
}
