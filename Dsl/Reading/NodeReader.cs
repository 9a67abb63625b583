using System.Collections.Generic;
using System.Linq;
using ArchDsl.Dsl.Diagnostics;
using ArchDsl.Dsl.Model;
using ArchDsl.Dsl.Text;
using ArchDsl.Dsl.Util;
using ArchDsl.Dsl.Yaml;

namespace ArchDsl.Dsl.Reading
{
    /// <summary>Typed access to YAML nodes that reports what is wrong where, and keeps going.</summary>
    internal sealed class NodeReader
    {
        public NodeReader(DiagnosticBag diagnostics) => Diagnostics = diagnostics;

        public DiagnosticBag Diagnostics { get; }

        /// <summary>Reports keys outside <paramref name="allowed"/>; returns whether all were known.</summary>
        public bool CheckKeys(YamlMapping map, IReadOnlyCollection<string> allowed, string where)
        {
            bool ok = true;
            foreach (var entry in map.Entries.Where(e => !allowed.Contains(e.Name)))
            {
                Diagnostics.Add(DiagnosticId.UnknownKey, entry.Key.Span,
                    $"unknown key '{entry.Name}' in {where}{Suggest.DidYouMean(entry.Name, allowed)}");
                ok = false;
            }
            return ok;
        }

        public YamlNode? Required(YamlMapping map, string key, string where)
        {
            var node = map[key];
            if (node is null)
                Diagnostics.Add(DiagnosticId.MissingField, KeyAnchor(map), $"{where} needs '{key}:'");
            return node;
        }

        public YamlMapping? Mapping(YamlNode? node, string what)
        {
            if (node is null) return null;
            if (node is YamlMapping map) return map;
            Diagnostics.Add(DiagnosticId.WrongType, node.Span, $"{what} must be a mapping (key: value), not {node.Describe()}");
            return null;
        }

        public YamlSequence? Sequence(YamlNode? node, string what)
        {
            if (node is null) return null;
            if (node is YamlSequence seq) return seq;
            Diagnostics.Add(DiagnosticId.WrongType, node.Span, $"{what} must be a list, not {node.Describe()}");
            return null;
        }

        public string? Text(YamlNode? node, string what)
        {
            if (node is null) return null;
            if (node is YamlScalar scalar && !scalar.IsNull) return scalar.Value;
            Diagnostics.Add(DiagnosticId.WrongType, node.Span, $"{what} must be text, not {node.Describe()}");
            return null;
        }

        public string? Identifier(YamlNode? node, string what)
        {
            var text = Text(node, what);
            if (text is null) return null;
            if (IsIdentifier(text)) return text;
            Diagnostics.Add(DiagnosticId.WrongType, node!.Span, $"{what} '{text}' must be a C# identifier (letters, digits, _; not starting with a digit)");
            return null;
        }

        /// <summary>A value left unevaluated: a scalar, a list, or a <c>{ value: …, source: … }</c> wrapper.</summary>
        public ValueSource? Value(YamlNode? node, string what)
        {
            switch (node)
            {
                case null:
                    return null;
                case YamlScalar scalar:
                    return ValueSource.Scalar(scalar.Value, scalar.IsPlain, scalar.Span);
                case YamlSequence seq:
                    var items = seq.Items.Select(i => Value(i, what)).ToList();
                    return items.Any(i => i is null) ? null : ValueSource.List(items.Select(i => i!).ToEquatableArray(), seq.Span);
                case YamlMapping map:
                    if (map["value"] is null)
                    {
                        Diagnostics.Add(DiagnosticId.WrongType, map.Span,
                            $"{what} must be a value, a list, or {{ value: …, source: … }}, not a mapping without 'value:'");
                        return null;
                    }
                    CheckKeys(map, s_valueKeys, what);
                    var inner = Value(map["value"], what);
                    return inner is null ? null : inner with { Provenance = Text(map["source"], "source") ?? "stated" };
                default:
                    return null;
            }
        }

        /// <summary>Keys of a <c>{ value: …, source: … }</c> wrapper.</summary>
        internal static readonly string[] s_valueKeys = { "value", "source", "note" };

        public EquatableArray<NamedValue> NamedValues(YamlMapping map, string what, IReadOnlyCollection<string> skip)
        {
            var values = new List<NamedValue>();
            foreach (var entry in map.Entries.Where(e => !skip.Contains(e.Name)))
            {
                if (!IsIdentifier(entry.Name))
                {
                    Diagnostics.Add(DiagnosticId.WrongType, entry.Key.Span, $"'{entry.Name}' in {what} must be a name (letters, digits, _)");
                    continue;
                }
                var value = Value(entry.Value, $"'{entry.Name}'");
                if (value != null) values.Add(new NamedValue(entry.Name, entry.Key.Span, value));
            }
            return values.ToEquatableArray();
        }

        /// <summary>Where to point at a mapping that lacks a key: its first key (or the mapping itself).</summary>
        public static Text.SourceSpan KeyAnchor(YamlMapping map) =>
            map.Entries.Count > 0 ? map.Entries[0].Key.Span : map.Span;

        public static bool IsIdentifier(string text) => CSharp.IsIdentifier(text);

        /// <summary>The name of a generated class (a family, or a variant nested in <paramref name="enclosing"/>), or null
        /// with a diagnostic at the node when C# cannot take it (<see cref="CSharp.TypeNameProblem"/>).</summary>
        public string? TypeName(YamlNode node, string text, string what, string? enclosing)
        {
            if (CSharp.TypeNameProblem(text, enclosing) is not { } problem) return text;
            Diagnostics.Add(problem.Id, node.Span, $"{what} '{text}' {problem.Message}");
            return null;
        }
    }
}
