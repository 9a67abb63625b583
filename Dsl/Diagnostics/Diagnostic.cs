using ArchDsl.Dsl.Text;

namespace ArchDsl.Dsl.Diagnostics
{
    /// <summary>One finding about an architecture file, located at the YAML node it is about.</summary>
    public sealed record Diagnostic(string Id, Severity Severity, string Message, SourceSpan Span)
    {
        public static Diagnostic Create(DiagnosticId id, SourceSpan span, string message) =>
            new Diagnostic(id.Id, id.DefaultSeverity, message, span);

        public override string ToString() => $"{Span}: {Severity.ToString().ToLowerInvariant()} {Id}: {Message}";
    }
}
