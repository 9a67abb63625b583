using System.Collections.Generic;
using System.Linq;
using ArchDsl.Dsl.Blocks;
using ArchDsl.Dsl.Diagnostics;
using ArchDsl.Dsl.Expressions;
using ArchDsl.Dsl.Model;
using ArchDsl.Dsl.Util;

namespace ArchDsl.Dsl.Reading
{
    /// <summary>Checks what a file's rows name against every kind the file can see: unknown kinds and parameters (with
    /// "did you mean"), defaults for kinds that do not exist, and blocks that use themselves.</summary>
    public static class KindChecker
    {
        public static void CheckFamily(FamilySpec family, KindCatalogue catalogue, DiagnosticBag diagnostics)
        {
            foreach (var defaults in family.Defaults)
            {
                var kind = catalogue.Find(defaults.Kind);
                if (kind is null)
                {
                    diagnostics.Add(DiagnosticId.UnknownKind, defaults.KindSpan,
                        $"unknown block kind '{defaults.Kind}' in defaults{Suggest.DidYouMean(defaults.Kind, catalogue.Names)}");
                    continue;
                }
                var names = kind.Params.Select(p => p.Name).ToList();
                foreach (var p in defaults.Params.Where(p => !names.Contains(p.Name)))
                    diagnostics.Add(DiagnosticId.UnknownKey, p.NameSpan, $"unknown parameter '{p.Name}' for {kind.Name}{Suggest.DidYouMean(p.Name, names)}");
            }
            foreach (var section in family.Sections)
                CheckRows(section.Rows, catalogue, diagnostics);
            CheckBlocks(family.Blocks, catalogue, diagnostics);
        }

        /// <summary>The rows of <paramref name="blocks"/>, and that none of them reaches itself through the blocks it uses.</summary>
        public static void CheckBlocks(IEnumerable<BlockSpec> blocks, KindCatalogue catalogue, DiagnosticBag diagnostics)
        {
            var list = blocks.ToList();
            foreach (var block in list)
            {
                CheckRows(block.Rows, catalogue, diagnostics);
                foreach (var p in block.Params.Where(p => p.Type == "choice" && p.Default is { IsList: false } d && !p.Choices.Contains(d.Text)))
                    diagnostics.Add(DiagnosticId.WrongType, p.Default!.Span, $"the default '{p.Default.Text}' of '{p.Name}' is not one of its choices {string.Join(", ", p.Choices)}");
            }
            // each cycle once, at the row of the first of its blocks (in file order) that closes it
            var reported = new HashSet<string>();
            foreach (var block in list)
            {
                foreach (var row in Uses(block.Rows))
                {
                    var path = new List<string> { block.Name };
                    if (!Reaches(row.Kind, block.Name, catalogue, path, new HashSet<string>())) continue;
                    if (reported.Add(string.Join(" ", path.Distinct().OrderBy(n => n, System.StringComparer.Ordinal))))
                        diagnostics.Add(DiagnosticId.RecursiveBlock, row.KindSpan,
                            $"block '{block.Name}' uses itself: {string.Join(" → ", path)}; a block cannot contain itself");
                    break;
                }
            }
        }

        private static void CheckRows(IEnumerable<RowSpec> rows, KindCatalogue catalogue, DiagnosticBag diagnostics)
        {
            foreach (var row in rows)
            {
                if (row.Combinator is { } c)
                {
                    CheckRows(c.Rows, catalogue, diagnostics);
                    CheckRows(c.Shortcut, catalogue, diagnostics);
                    foreach (var branch in c.Branches) CheckRows(branch.Rows, catalogue, diagnostics);
                    continue;
                }
                if (Templates.IsTemplate(row.Kind)) continue;   // filled in by a parameter: checked where it is used
                var kind = catalogue.Find(row.Kind);
                if (kind is null)
                {
                    diagnostics.Add(DiagnosticId.UnknownKind, row.KindSpan,
                        $"unknown block kind '{row.Kind}'{Suggest.DidYouMean(row.Kind, catalogue.Names)}");
                    continue;
                }
                CheckParams(kind, row, diagnostics);
            }
        }

        /// <summary>Parameters a row gives that its kind does not have.</summary>
        public static void CheckParams(IKind kind, RowSpec row, DiagnosticBag diagnostics)
        {
            if (kind is BlockKind { TakesAxisSizes: true }) return;
            var names = kind.Params.Select(p => p.Name).ToList();
            foreach (var p in row.Params.Where(p => !names.Contains(p.Name)))
                diagnostics.Add(DiagnosticId.UnknownKey, p.NameSpan,
                    $"unknown parameter '{p.Name}' for {kind.Name}{Suggest.DidYouMean(p.Name, names.Concat(RowReader.RowKeys))}");
        }

        /// <summary>Whether kind <paramref name="kind"/> is <paramref name="target"/> or uses it, appending the chain to <paramref name="path"/>.</summary>
        private static bool Reaches(string kind, string target, KindCatalogue catalogue, List<string> path, HashSet<string> visited)
        {
            path.Add(kind);
            if (kind == target) return true;
            if (catalogue.Find(kind) is BlockDefinition used && visited.Add(kind))
            {
                foreach (var row in Uses(used.Spec.Rows))
                    if (Reaches(row.Kind, target, catalogue, path, visited)) return true;
            }
            path.RemoveAt(path.Count - 1);
            return false;
        }

        private static IEnumerable<RowSpec> Uses(IEnumerable<RowSpec> rows)
        {
            foreach (var row in rows)
            {
                if (row.Combinator is { } c)
                {
                    foreach (var inner in Uses(c.Rows.Concat(c.Shortcut).Concat(c.Branches.SelectMany(b => b.Rows))))
                        yield return inner;
                }
                else yield return row;
            }
        }
    }
}
