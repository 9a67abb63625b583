using System;

namespace ArchDsl.Runtime;

/// <summary>A tensor reached a module with a shape the module cannot take; raised before any native call.</summary>
public sealed class ShapeMismatchException : Exception
{
    public ShapeMismatchException(string module, string expected, string actual)
        : base($"{module}: expected input of shape {expected}, got {actual}")
    {
        Module = module;
        Expected = expected;
        Actual = actual;
    }

    public string Module { get; }
    public string Expected { get; }
    public string Actual { get; }
}
