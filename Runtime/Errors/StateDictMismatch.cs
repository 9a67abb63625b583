namespace ArchDsl.Runtime;

/// <summary>A key present in both the module and the state dict whose shape or dtype disagree.</summary>
public sealed record StateDictMismatch(string Key, string Expected, string Actual)
{
    public override string ToString() => $"{Key}: expected {Expected}, got {Actual}";
}
