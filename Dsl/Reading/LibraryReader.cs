using ArchDsl.Dsl.Diagnostics;
using ArchDsl.Dsl.Model;
using ArchDsl.Dsl.Yaml;

namespace ArchDsl.Dsl.Reading
{
    /// <summary>Reads a block library (<c>*.blocks.yaml</c>): <c>library:</c> (its name), <c>doc:</c>, and <c>blocks:</c>
    /// written as in a family file.</summary>
    public static class LibraryReader
    {
        internal static readonly string[] s_topKeys = { "library", "doc", "blocks" };

        /// <param name="origin">How diagnostics and documentation name the file, e.g. "cvnets.blocks.yaml".</param>
        public static LibrarySpec? Read(string text, string origin, DiagnosticBag diagnostics)
        {
            var root = YamlReader.Read(text, diagnostics);
            if (root is null) return null;
            var r = new NodeReader(diagnostics);
            var map = r.Mapping(root, "a block library");
            if (map is null) return null;
            r.CheckKeys(map, s_topKeys, "the block library");
            var name = r.Identifier(r.Required(map, "library", "a block library"), "library");
            var blocks = RowReader.Blocks(r, r.Mapping(r.Required(map, "blocks", "a block library"), "blocks"), origin);
            return name is null ? null : new LibrarySpec(name, r.Text(map["doc"], "doc") ?? "", blocks);
        }

        public static bool IsLibraryFile(string path) =>
            path.EndsWith(".blocks.yaml", System.StringComparison.OrdinalIgnoreCase)
            || path.EndsWith(".blocks.yml", System.StringComparison.OrdinalIgnoreCase)
            || path.EndsWith(".blocks.json", System.StringComparison.OrdinalIgnoreCase);
    }
}
