using ArchDsl.Runtime.Native;

namespace ArchDsl.Runtime;

/// <summary>min(max(x, 0), 6).</summary>
public sealed class ReLU6 : Activation
{
    public ReLU6(string name = "ReLU6") : base(name) { }

    private protected override NativeMethods.Unary Function => NativeMethods.Unary.Relu6;
}
