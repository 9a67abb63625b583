using System;
using ArchDsl.Runtime.Native;

namespace ArchDsl.Runtime;

/// <summary>Gaussian error linear unit; approximate "none" (exact, erf) or "tanh".</summary>
public sealed class GELU : Activation
{
    public GELU(string approximate = "none", string name = "GELU") : base(name)
    {
        if (approximate is not ("none" or "tanh"))
            throw new ArgumentException($"approximate must be \"none\" or \"tanh\", got \"{approximate}\"", nameof(approximate));
        this.approximate = approximate;
    }

    public string approximate { get; }

    private protected override NativeMethods.Unary Function => approximate == "tanh" ? NativeMethods.Unary.GeluTanh : NativeMethods.Unary.Gelu;
}
