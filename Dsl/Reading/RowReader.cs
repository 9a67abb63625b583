using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ArchDsl.Dsl.Blocks;
using ArchDsl.Dsl.Diagnostics;
using ArchDsl.Dsl.Expressions;
using ArchDsl.Dsl.Model;
using ArchDsl.Dsl.Util;
using ArchDsl.Dsl.Yaml;

namespace ArchDsl.Dsl.Reading
{
    /// <summary>Reads rows (of sections and of blocks), combinators and block definitions, the parts family files and
    /// block libraries share. Syntax only: whether kinds and parameters exist is checked once every block is known
    /// (<see cref="KindChecker"/>).</summary>
    internal static class RowReader
    {
        /// <summary>Keys every row may have besides its kind's parameters.</summary>
        public static readonly string[] RowKeys = { "kind", "name", "into", "repeat", "when", "in", "from", "as", "counts", "source", "note" };

        /// <summary>The combinators and the keys holding their nested rows and options.</summary>
        public static readonly string[] Combinators = { "sequence", "residual", "parallel" };
        internal static readonly string[] s_combinatorKeys = { "rows", "shortcut", "connect", "branches", "merge", "dim" };
        internal static readonly string[] s_merges = { "add", "concat", "mul" };
        internal static readonly string[] s_blockKeys = { "doc", "params", "vars", "inputs", "sequential", "rows", "output" };
        internal static readonly string[] s_paramKeys = { "type", "default", "min", "max", "choices", "doc" };

        /// <summary>Largest nesting of combinators and blocks inside one another a file may write.</summary>
        public const int MaxDepth = 64;

        public static EquatableArray<RowSpec> Rows(NodeReader r, YamlNode? node, string what, int depth = 0)
        {
            var rows = new List<RowSpec>();
            var seq = r.Sequence(node, what);
            if (seq is null) return EquatableArray<RowSpec>.Empty;
            if (depth > MaxDepth)
            {
                r.Diagnostics.Add(DiagnosticId.OutOfRange, seq.Span, $"rows nested more than {MaxDepth} deep");
                return EquatableArray<RowSpec>.Empty;
            }
            foreach (var item in seq.Items)
            {
                var row = Row(r, r.Mapping(item, "a row"), depth);
                if (row != null) rows.Add(row);
            }
            return rows.ToEquatableArray();
        }

        public static RowSpec? Row(NodeReader r, YamlMapping? map, int depth)
        {
            if (map is null) return null;
            var kindName = r.Text(r.Required(map, "kind", "a row"), "kind");
            if (kindName is null) return null;
            var kindSpan = map.Find("kind")!.Value.Span;
            bool combinator = Combinators.Contains(kindName);

            var nameEntry = map.Find("name");
            var intoEntry = map.Find("into");
            if (nameEntry != null && intoEntry != null)
                r.Diagnostics.Add(DiagnosticId.Duplicate, intoEntry.Key.Span,
                    "a row has either 'name:' (the module's own path) or 'into:' (a container it is appended to), not both");
            var path = nameEntry ?? intoEntry;
            string? pathText = path is null ? null : path.Value is YamlScalar s ? s.Value : r.Text(path.Value, path.Name);
            if (pathText != null && !IsModulePath(pathText, allowEmpty: nameEntry != null))
            {
                r.Diagnostics.Add(DiagnosticId.WrongType, path!.Value.Span,
                    $"'{pathText}' is not a module path (names or numbers separated by dots, like network.0 or classifier.fc; {{i}} for the repeat index)");
                pathText = null;
            }

            var reserved = combinator ? RowKeys.Concat(s_combinatorKeys).ToArray() : RowKeys;
            var parameters = new List<NamedValue>();
            foreach (var entry in map.Entries.Where(e => !reserved.Contains(e.Name)))
            {
                if (combinator || !NodeReader.IsIdentifier(entry.Name))
                {
                    // "f(a, b)" unquoted inside { … } splits at the comma into keys like "b)"
                    r.Diagnostics.Add(DiagnosticId.UnknownKey, entry.Key.Span, combinator
                        ? $"unknown key '{entry.Name}' for {kindName}{Suggest.DidYouMean(entry.Name, reserved)}"
                        : $"'{entry.Name}' is not a parameter name: a value with commas inside {{ … }} must be quoted, e.g. out: \"make_divisible(64 * alpha, 16)\"");
                    continue;
                }
                if (r.Value(entry.Value, $"parameter '{entry.Name}'") is { } v)
                    parameters.Add(new NamedValue(entry.Name, entry.Key.Span, v));
            }

            var counts = r.Mapping(map["counts"], "counts") is { } countMap
                ? r.NamedValues(countMap, "counts", new string[0])
                : EquatableArray<NamedValue>.Empty;
            foreach (var c in counts.Where(c => Costs.CountingConvention.Find(c.Name) is null))
                r.Diagnostics.Add(DiagnosticId.UnknownConvention, c.NameSpan,
                    $"unknown counting convention '{c.Name}'{Suggest.DidYouMean(c.Name, Costs.CountingConvention.All.Select(k => k.Name))}");
            var from = Names(r, map.Find("from"), "from");
            var outputs = Names(r, map.Find("as"), "as");
            return new RowSpec(map.Span, kindName, kindSpan,
                nameEntry != null ? pathText : null, intoEntry != null ? pathText : null, path?.Value.Span ?? kindSpan,
                r.Value(map["repeat"], "repeat"), r.Value(map["when"], "when"), r.Value(map["in"], "in"),
                parameters.ToEquatableArray(), r.Text(map["source"], "source"),
                from, map.Find("from")?.Value.Span ?? kindSpan, outputs,
                combinator ? Combinator(r, kindName, map, depth) : CheckNoCombinatorKeys(r, map, kindName), counts);
        }

        private static CombinatorSpec? CheckNoCombinatorKeys(NodeReader r, YamlMapping map, string kind)
        {
            foreach (var key in new[] { "rows", "shortcut", "branches" })
            {
                if (map.Find(key) is { } entry)
                    r.Diagnostics.Add(DiagnosticId.UnknownKey, entry.Key.Span,
                        $"'{key}:' belongs to a combinator row (kind: sequence, residual or parallel), not to a {kind} row");
            }
            return null;
        }

        private static CombinatorSpec Combinator(NodeReader r, string kind, YamlMapping map, int depth)
        {
            var rows = EquatableArray<RowSpec>.Empty;
            var shortcut = EquatableArray<RowSpec>.Empty;
            var branches = new List<BranchSpec>();
            if (kind == "parallel")
            {
                foreach (var key in new[] { "rows", "shortcut", "connect" }.Where(k => map.Find(k) != null))
                    r.Diagnostics.Add(DiagnosticId.UnknownKey, map.Find(key)!.Key.Span, $"'{key}:' is not a key of parallel (it has branches: and merge:)");
                var list = r.Sequence(r.Required(map, "branches", "a parallel row"), "branches");
                foreach (var branch in list?.Items ?? new List<YamlNode>())
                    branches.Add(new BranchSpec(Rows(r, branch, "a branch (a list of rows)", depth + 1)));
                if (list != null && list.Items.Count < 2)
                    r.Diagnostics.Add(DiagnosticId.MissingField, list.Span, "parallel needs at least two branches");
            }
            else
            {
                foreach (var key in new[] { "branches", "merge", "dim" }.Where(k => map.Find(k) != null))
                    r.Diagnostics.Add(DiagnosticId.UnknownKey, map.Find(key)!.Key.Span, $"'{key}:' is a key of parallel rows, not of {kind}");
                if (kind == "sequence")
                {
                    foreach (var key in new[] { "shortcut", "connect" }.Where(k => map.Find(k) != null))
                        r.Diagnostics.Add(DiagnosticId.UnknownKey, map.Find(key)!.Key.Span, $"'{key}:' is a key of residual rows, not of sequence");
                }
                rows = Rows(r, r.Required(map, "rows", $"a {kind} row"), $"the rows of {kind}", depth + 1);
                if (map.Find("shortcut") != null)
                    shortcut = Rows(r, map["shortcut"], "shortcut", depth + 1);
            }
            string merge = "add";
            var mergeEntry = map.Find("merge");
            if (mergeEntry != null && r.Text(mergeEntry.Value, "merge") is { } m)
            {
                if (s_merges.Contains(m)) merge = m;
                else r.Diagnostics.Add(DiagnosticId.WrongType, mergeEntry.Value.Span, $"merge must be one of {string.Join(", ", s_merges)}, not '{m}'{Suggest.DidYouMean(m, s_merges)}");
            }
            return new CombinatorSpec(rows, shortcut, branches.ToEquatableArray(), r.Value(map["connect"], "connect"),
                merge, mergeEntry?.Value.Span ?? map.Span, r.Value(map["dim"], "dim"));
        }

        /// <summary>One name or a list of names (<c>from:</c>, <c>as:</c>).</summary>
        private static EquatableArray<string> Names(NodeReader r, YamlEntry? entry, string what)
        {
            if (entry is null) return EquatableArray<string>.Empty;
            var items = entry.Value is YamlSequence seq ? seq.Items : new[] { entry.Value };
            var names = new List<string>();
            foreach (var item in items)
            {
                var name = r.Text(item, what);
                if (name is null) continue;
                if (!NodeReader.IsIdentifier(name))
                    r.Diagnostics.Add(DiagnosticId.WrongType, item.Span, $"'{name}' in {what}: is not a value name (letters, digits, _)");
                else
                    names.Add(name);
            }
            return names.ToEquatableArray();
        }

        /// <summary>Module paths: names or numbers separated by dots; <c>{…}</c> holds an expression such as the repeat index.</summary>
        private static bool IsModulePath(string path, bool allowEmpty)
        {
            if (path.Length == 0) return allowEmpty;
            return path.Split('.').All(part => part.Length > 0 && Templates.Strip(part).All(c => char.IsLetterOrDigit(c) || c == '_'));
        }

        // ---- block definitions ----

        public static EquatableArray<BlockSpec> Blocks(NodeReader r, YamlMapping? map, string origin)
        {
            if (map is null) return EquatableArray<BlockSpec>.Empty;
            var blocks = new List<BlockSpec>();
            foreach (var entry in map.Entries)
            {
                if (!NodeReader.IsIdentifier(entry.Name))
                {
                    r.Diagnostics.Add(DiagnosticId.WrongType, entry.Key.Span, $"block name '{entry.Name}' must be a name (letters, digits, _)");
                    continue;
                }
                var body = r.Mapping(entry.Value, $"block '{entry.Name}'");
                if (body is null) continue;
                r.CheckKeys(body, s_blockKeys, $"block '{entry.Name}'");
                var parameters = Params(r, r.Mapping(body["params"], $"the params of '{entry.Name}'"));
                var vars = r.Mapping(body["vars"], $"the vars of '{entry.Name}'") is { } varsMap
                    ? r.NamedValues(varsMap, $"the vars of '{entry.Name}'", new string[0])
                    : EquatableArray<NamedValue>.Empty;
                var inputs = Names(r, body.Find("inputs"), "inputs");
                bool sequential = false;
                if (body["sequential"] is { } seqNode && r.Text(seqNode, "sequential") is { } seqText)
                {
                    if (seqText == "true" || seqText == "false") sequential = seqText == "true";
                    else r.Diagnostics.Add(DiagnosticId.WrongType, seqNode.Span, $"sequential must be true or false, not '{seqText}'");
                }
                blocks.Add(new BlockSpec(entry.Name, entry.Key.Span, r.Text(body["doc"], "doc") ?? "",
                    parameters, vars, inputs.Count > 0 ? inputs : new[] { "input" }.ToEquatableArray(), sequential,
                    Rows(r, r.Required(body, "rows", $"block '{entry.Name}'"), $"the rows of '{entry.Name}'", 1),
                    r.Text(body["output"], "output"), origin));
            }
            return blocks.ToEquatableArray();
        }

        private static EquatableArray<ParamSpec> Params(NodeReader r, YamlMapping? map)
        {
            if (map is null) return EquatableArray<ParamSpec>.Empty;
            var result = new List<ParamSpec>();
            foreach (var entry in map.Entries)
            {
                if (!NodeReader.IsIdentifier(entry.Name) || entry.Name == "in_channels" || entry.Name == "i")
                {
                    r.Diagnostics.Add(DiagnosticId.WrongType, entry.Key.Span, entry.Name == "in_channels" || entry.Name == "i"
                        ? $"'{entry.Name}' is provided by ArchDsl inside every block; choose another parameter name"
                        : $"parameter name '{entry.Name}' must be a name (letters, digits, _)");
                    continue;
                }
                // short form: `planes: int`
                if (entry.Value is YamlScalar shortType)
                {
                    if (CheckType(r, shortType))
                        result.Add(new ParamSpec(entry.Name, entry.Key.Span, shortType.Value, null, null, null, EquatableArray<string>.Empty, ""));
                    continue;
                }
                var decl = r.Mapping(entry.Value, $"parameter '{entry.Name}'");
                if (decl is null) continue;
                r.CheckKeys(decl, s_paramKeys, $"parameter '{entry.Name}'");
                var typeNode = r.Required(decl, "type", $"parameter '{entry.Name}'");
                if (typeNode is not YamlScalar type || !CheckType(r, type)) continue;
                var choices = decl["choices"] is { } choiceNode && r.Sequence(choiceNode, "choices") is { } list
                    ? list.Items.Select(i => r.Text(i, "a choice")).Where(c => c != null).Select(c => c!).ToEquatableArray()
                    : EquatableArray<string>.Empty;
                if (type.Value == "choice" && choices.Count == 0)
                    r.Diagnostics.Add(DiagnosticId.MissingField, typeNode.Span, $"a choice parameter needs 'choices: [...]'");
                result.Add(new ParamSpec(entry.Name, entry.Key.Span, type.Value, r.Value(decl["default"], "default"),
                    Bound(r, decl["min"]), Bound(r, decl["max"]), choices, r.Text(decl["doc"], "doc") ?? ""));
            }
            return result.ToEquatableArray();
        }

        private static bool CheckType(NodeReader r, YamlScalar type)
        {
            if (BlockDefinition.Types.Contains(type.Value)) return true;
            r.Diagnostics.Add(DiagnosticId.WrongType, type.Span,
                $"unknown parameter type '{type.Value}'{Suggest.DidYouMean(type.Value, BlockDefinition.Types)}");
            return false;
        }

        private static double? Bound(NodeReader r, YamlNode? node)
        {
            if (node is null) return null;
            if (r.Text(node, "a bound") is { } text
                && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
                && !double.IsNaN(value) && !double.IsInfinity(value))
                return value;
            r.Diagnostics.Add(DiagnosticId.WrongType, node.Span, "min and max must be finite numbers");
            return null;
        }
    }
}
