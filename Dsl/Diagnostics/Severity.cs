namespace ArchDsl.Dsl.Diagnostics
{
    public enum Severity { Info, Warning, Error }
}
