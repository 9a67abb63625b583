using System;
using ArchDsl.Dsl.Diagnostics;

namespace ArchDsl.Dsl.Shapes
{
    /// <summary>A block cannot take the shape it receives; the analysis reports it at the row's span.</summary>
    public sealed class ShapeException : Exception
    {
        public ShapeException(DiagnosticId id, string message) : base(message) => Id = id;

        public DiagnosticId Id { get; }
    }
}
