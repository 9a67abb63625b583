using ArchDsl.Runtime.Native;

namespace ArchDsl.Runtime;

/// <summary>Hyperbolic tangent.</summary>
public sealed class Tanh : Activation
{
    public Tanh(string name = "Tanh") : base(name) { }

    private protected override NativeMethods.Unary Function => NativeMethods.Unary.Tanh;
}
