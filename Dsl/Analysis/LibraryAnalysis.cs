using System.Collections.Generic;
using System.Linq;
using ArchDsl.Dsl.Blocks;
using ArchDsl.Dsl.Diagnostics;
using ArchDsl.Dsl.Reading;

namespace ArchDsl.Dsl.Analysis
{
    /// <summary>A block library (<c>*.blocks.yaml</c>) checked on its own: syntax, kinds and parameters its rows name,
    /// names defined twice, blocks that use themselves. Its blocks are expanded, and checked further, where families use them.</summary>
    public static class LibraryAnalysis
    {
        /// <param name="others">The project's other libraries, whose blocks this one may use.</param>
        public static IReadOnlyList<Diagnostic> Run(string text, string name, IReadOnlyList<(string Name, string Text)> others)
        {
            var diagnostics = new DiagnosticBag();
            var library = LibraryReader.Read(text, name, diagnostics);
            if (library is null || diagnostics.HasErrors) return diagnostics.Items;
            var ignored = new DiagnosticBag();
            var otherBlocks = others.Select(o => LibraryReader.Read(o.Text, o.Name, ignored)).Where(l => l != null).SelectMany(l => l!.Blocks);
            var catalogue = KindCatalogue.Builtin.With(otherBlocks, null).With(library.Blocks, diagnostics);
            KindChecker.CheckBlocks(library.Blocks, catalogue, diagnostics);
            return diagnostics.Items;
        }
    }
}
