using ArchDsl.Runtime.Native;

namespace ArchDsl.Runtime;

/// <summary>relu6(x + 3) / 6.</summary>
public sealed class Hardsigmoid : Activation
{
    public Hardsigmoid(string name = "Hardsigmoid") : base(name) { }

    private protected override NativeMethods.Unary Function => NativeMethods.Unary.Hardsigmoid;
}
