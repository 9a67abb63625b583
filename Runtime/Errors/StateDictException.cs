using System;
using System.Collections.Generic;
using System.Text;

namespace ArchDsl.Runtime;

/// <summary>Every problem found while checking a state dict against a module, reported together;
/// the module is left unchanged.</summary>
public sealed class StateDictException : Exception
{
    public StateDictException(string module, IReadOnlyList<string> missingKeys, IReadOnlyList<string> unexpectedKeys,
        IReadOnlyList<StateDictMismatch> shapeMismatches, IReadOnlyList<StateDictMismatch> dtypeMismatches)
        : base(Describe(module, missingKeys, unexpectedKeys, shapeMismatches, dtypeMismatches))
    {
        MissingKeys = missingKeys;
        UnexpectedKeys = unexpectedKeys;
        ShapeMismatches = shapeMismatches;
        DtypeMismatches = dtypeMismatches;
    }

    public IReadOnlyList<string> MissingKeys { get; }
    public IReadOnlyList<string> UnexpectedKeys { get; }
    public IReadOnlyList<StateDictMismatch> ShapeMismatches { get; }
    public IReadOnlyList<StateDictMismatch> DtypeMismatches { get; }

    private static string Describe(string module, IReadOnlyList<string> missing, IReadOnlyList<string> unexpected,
        IReadOnlyList<StateDictMismatch> shapes, IReadOnlyList<StateDictMismatch> dtypes)
    {
        var text = new StringBuilder($"Error(s) in loading state_dict for {module}:");
        if (missing.Count > 0) text.Append($"\n  missing keys ({missing.Count}): {string.Join(", ", missing)}");
        if (unexpected.Count > 0) text.Append($"\n  unexpected keys ({unexpected.Count}): {string.Join(", ", unexpected)}");
        if (shapes.Count > 0) text.Append($"\n  shape mismatches ({shapes.Count}): {string.Join("; ", shapes)}");
        if (dtypes.Count > 0) text.Append($"\n  dtype mismatches ({dtypes.Count}): {string.Join("; ", dtypes)}");
        return text.ToString();
    }
}
