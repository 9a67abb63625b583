using System.Collections.Generic;
using System.Linq;
using ArchDsl.Dsl.Text;

namespace ArchDsl.Dsl.Diagnostics
{
    public sealed class DiagnosticBag
    {
        private readonly List<Diagnostic> _items = new List<Diagnostic>();

        public IReadOnlyList<Diagnostic> Items => _items;

        public bool HasErrors => _items.Any(d => d.Severity == Severity.Error);

        public void Add(DiagnosticId id, SourceSpan span, string message) => _items.Add(Diagnostic.Create(id, span, message));

        public void Add(Diagnostic diagnostic) => _items.Add(diagnostic);

        public void AddRange(IEnumerable<Diagnostic> diagnostics) => _items.AddRange(diagnostics);
    }
}
