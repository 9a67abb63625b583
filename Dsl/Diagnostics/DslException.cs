using System;
using ArchDsl.Dsl.Text;

namespace ArchDsl.Dsl.Diagnostics
{
    /// <summary>Thrown inside the Dsl to abandon one row or value; always caught and turned into a
    /// located diagnostic, never seen by users.</summary>
    public sealed class DslException : Exception
    {
        public DslException(DiagnosticId id, SourceSpan span, string message) : base(message)
        {
            Id = id;
            Span = span;
        }

        public DiagnosticId Id { get; }
        public SourceSpan Span { get; }

        /// <summary>A shape that does not fit (not a mistake in how something is written): reported where a block is used,
        /// not inside it.</summary>
        public bool IsShape { get; init; }

        public Diagnostic ToDiagnostic() => Diagnostic.Create(Id, Span, Message);
    }
}
