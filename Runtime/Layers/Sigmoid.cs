using ArchDsl.Runtime.Native;

namespace ArchDsl.Runtime;

/// <summary>1 / (1 + exp(-x)).</summary>
public sealed class Sigmoid : Activation
{
    public Sigmoid(string name = "Sigmoid") : base(name) { }

    private protected override NativeMethods.Unary Function => NativeMethods.Unary.Sigmoid;
}
