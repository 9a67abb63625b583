using System.Collections.Generic;
using System.IO;
using ArchDsl.Dsl.Diagnostics;
using ArchDsl.Dsl.Text;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace ArchDsl.Dsl.Yaml
{
    /// <summary>Reads YAML (JSON is a subset) into <see cref="YamlNode"/>s with spans, from YamlDotNet's
    /// parser events. Syntax errors and duplicate keys become located diagnostics. The work is bounded: nesting deeper
    /// than <see cref="MaxDepth"/> and documents whose aliases expand to more than <see cref="MaxNodes"/> nodes (an
    /// "alias bomb") are errors at the node where the bound is passed, not a stack overflow or an exponential walk later.</summary>
    public sealed class YamlReader
    {
        /// <summary>Deepest nesting of lists and mappings; the zoo's files nest fewer than 20 deep.</summary>
        public const int MaxDepth = 100;

        /// <summary>Most nodes a document may hold once every alias is expanded; the zoo's largest file holds about 10,000.</summary>
        public const int MaxNodes = 100_000;

        private readonly IParser _parser;
        private readonly LineMap _lines;
        private readonly DiagnosticBag _diagnostics;
        private readonly Dictionary<string, YamlNode> _anchors = new Dictionary<string, YamlNode>();
        private readonly Stack<Mark> _openFlows = new Stack<Mark>();
        private readonly Dictionary<YamlNode, long> _sizes = new Dictionary<YamlNode, long>();

        private YamlReader(string text, DiagnosticBag diagnostics)
        {
            _parser = new Parser(new StringReader(text));
            _lines = new LineMap(text);
            _diagnostics = diagnostics;
        }

        public static YamlNode? Read(string text, DiagnosticBag diagnostics) => new YamlReader(text, diagnostics).ReadDocument(text);

        private YamlNode? ReadDocument(string text)
        {
            var parser = _parser;
            var diagnostics = _diagnostics;
            var openFlows = _openFlows;
            try
            {
                parser.Consume<StreamStart>();
                if (parser.Accept<StreamEnd>(out _))
                {
                    diagnostics.Add(DiagnosticId.Syntax, SourceSpan.None, "the file is empty");
                    return null;
                }
                parser.Consume<DocumentStart>();
                var root = ReadNode(0);
                parser.Consume<DocumentEnd>();
                if (!parser.Accept<StreamEnd>(out _))
                {
                    var start = parser.Current!.Start;
                    diagnostics.Add(DiagnosticId.Syntax, Span(start, start), "only one YAML document per file is supported");
                }
                return root;
            }
            catch (YamlException e) when (e is not Limit && e.Start.Index >= text.TrimEnd().Length && UnclosedBracket(text, _lines) is { } bracket)
            {
                // the file ends inside a flow collection ("input: { channels: 3," as the last line): the bracket is the mistake
                diagnostics.Add(DiagnosticId.Syntax, bracket, "this { or [ is never closed" + QuoteHint);
                return null;
            }
            catch (YamlException e)
            {
                var message = CleanMessage(e);
                if (message.Contains("flow mapping") || message.Contains("flow sequence"))
                    message += QuoteHint;
                diagnostics.Add(e is Limit ? DiagnosticId.OutOfRange : DiagnosticId.Syntax, Span(e.Start, e.End), message);
                return null;
            }
            catch (System.Exception e) when (e is not YamlException)
            {
                // YamlDotNet's scanner fails this way (InvalidOperationException) on some unclosed flow collections;
                // point at the bracket that is never closed, or else at where the parser stopped
                if (UnclosedBracket(text, _lines) is { } bracket)
                    diagnostics.Add(DiagnosticId.Syntax, bracket, "this { or [ is never closed" + QuoteHint);
                else if (openFlows.Count > 0)
                    diagnostics.Add(DiagnosticId.Syntax, Span(openFlows.Peek(), openFlows.Peek()), "this { or [ is never closed" + QuoteHint);
                else
                    diagnostics.Add(DiagnosticId.Syntax, parser.Current is { } current ? Span(current.Start, current.End) : SourceSpan.None,
                        $"the YAML cannot be read here ({e.Message})");
                return null;
            }
        }

        /// <summary>A bound of <see cref="YamlReader"/> passed: reported as ADSL005 at the node.</summary>
        private sealed class Limit : YamlException
        {
            public Limit(Mark start, Mark end, string message) : base(start, end, message) { }
        }
        private static bool ScalarStart(string text, int i)
        {
            int j = i - 1;
            while (j >= 0 && (text[j] == ' ' || text[j] == '\t')) j--;
            return j < 0 || text[j] is '\n' or ':' or ',' or '[' or '{' or '-' or '?';
        }

        /// <summary>The first { or [ (outside quotes and comments) that no bracket closes, if any.</summary>
        internal static SourceSpan? UnclosedBracket(string text, LineMap lines)
        {
            var open = new Stack<int>();
            char quote = '\0';
            bool comment = false;
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (LineMap.IsLineTerminator(c))
                {
                    comment = false;
                    continue;
                }
                if (comment) continue;
                if (quote != '\0')
                {
                    if (c == quote && !(quote == '"' && i > 0 && text[i - 1] == '\\')) quote = '\0';
                    continue;
                }
                switch (c)
                {
                    case '#' when i == 0 || char.IsWhiteSpace(text[i - 1]): comment = true; break;
                    // a quote opens a quoted scalar only where a scalar starts ("paper's" is plain text)
                    case '"' or '\'' when ScalarStart(text, i): quote = c; break;
                    case '{': case '[': open.Push(i); break;
                    case '}': case ']': if (open.Count > 0) open.Pop(); break;
                }
            }
            if (open.Count == 0) return null;
            int first = open.ToArray()[open.Count - 1];
            return lines.Span(first, first + 1);
        }

        private const string QuoteHint =
            " (inside { … } and [ … ], quote values that contain , [ ] { } or #, e.g. out: \"channels[0] / 2\")";

        private YamlNode ReadNode(int depth)
        {
            var parser = _parser;
            if (parser.TryConsume<Scalar>(out var scalar))
            {
                var node = new YamlScalar(scalar.Value, scalar.Style == ScalarStyle.Plain, Span(scalar.Start, scalar.End));
                Remember(scalar.Anchor, node, 1);
                return node;
            }
            if (parser.TryConsume<AnchorAlias>(out var alias))
            {
                if (_anchors.TryGetValue(alias.Value.Value, out var target))
                    return target;
                throw new YamlException(alias.Start, alias.End, $"unknown alias '*{alias.Value.Value}'");
            }
            var current = parser.Current!;
            if (depth >= MaxDepth && current is SequenceStart or MappingStart)
                throw new Limit(current.Start, current.End, $"lists and mappings nest more than {MaxDepth} deep here");
            if (parser.TryConsume<SequenceStart>(out var sequenceStart))
            {
                bool flow = sequenceStart.Style == SequenceStyle.Flow;
                if (flow) _openFlows.Push(sequenceStart.Start);
                var items = new List<YamlNode>();
                long size = 1;
                while (!parser.TryConsume<SequenceEnd>(out _))
                {
                    var item = ReadNode(depth + 1);
                    items.Add(item);
                    size = Grow(size, item, sequenceStart);
                }
                if (flow) _openFlows.Pop();
                var start = Span(sequenceStart.Start, sequenceStart.End);
                var node = new YamlSequence(items, items.Count > 0 ? Join(start, items[items.Count - 1].Span) : start);
                Remember(sequenceStart.Anchor, node, size);
                return node;
            }
            if (parser.TryConsume<MappingStart>(out var mappingStart))
            {
                bool flow = mappingStart.Style == MappingStyle.Flow;
                if (flow) _openFlows.Push(mappingStart.Start);
                var entries = new List<YamlEntry>();
                var seen = new HashSet<string>();
                long size = 1;
                while (!parser.TryConsume<MappingEnd>(out _))
                {
                    var keyNode = ReadNode(depth + 1);
                    if (keyNode is not YamlScalar key)
                        throw new YamlException(Mark(keyNode.Span), Mark(keyNode.Span), "mapping keys must be plain names");
                    var value = ReadNode(depth + 1);
                    size = Grow(Grow(size, key, mappingStart), value, mappingStart);
                    if (!seen.Add(key.Value))
                    {
                        _diagnostics.Add(DiagnosticId.Duplicate, key.Span, $"duplicate key '{key.Value}': each key may appear once in a mapping");
                        continue;
                    }
                    entries.Add(new YamlEntry(key, value));
                }
                if (flow) _openFlows.Pop();
                var end = entries.Count > 0 ? entries[entries.Count - 1].Value.Span : Span(mappingStart.Start, mappingStart.End);
                var node = new YamlMapping(entries, Join(Span(mappingStart.Start, mappingStart.End), end));
                Remember(mappingStart.Anchor, node, size);
                return node;
            }
            throw new YamlException(current.Start, current.End, $"unexpected {current.GetType().Name}");
        }

        /// <summary>The expanded size of a collection after one more item: an alias counts every node it stands for.</summary>
        private long Grow(long size, YamlNode item, ParsingEvent collection)
        {
            size += _sizes.TryGetValue(item, out long known) ? known : 1;
            if (size > MaxNodes)
                throw new Limit(collection.Start, collection.End,
                    $"this collection expands to more than {MaxNodes:N0} nodes (aliases repeat what their anchor holds)");
            return size;
        }

        private void Remember(AnchorName anchor, YamlNode node, long size)
        {
            if (size > 1) _sizes[node] = size;
            if (!anchor.IsEmpty)
                _anchors[anchor.Value] = node;
        }

        private static SourceSpan Join(SourceSpan first, SourceSpan last) =>
            new SourceSpan(first.Start, last.End, first.StartLine, first.StartColumn, last.EndLine, last.EndColumn);

        /// <summary>The span between two of YamlDotNet's marks, lines and columns counted as C# counts them.</summary>
        private SourceSpan Span(Mark start, Mark end) => _lines.Span(start.Index, end.Index);

        private static Mark Mark(SourceSpan span) =>
            new Mark(span.Start, span.StartLine + 1, span.StartColumn + 1);

        private static string CleanMessage(YamlException e)
        {
            // YamlDotNet prefixes messages with "(Line: …, Col: …, Idx: …) - (…): "; the span already says where.
            var message = e.Message;
            int cut = message.IndexOf("): ", System.StringComparison.Ordinal);
            return cut >= 0 && message.StartsWith("(", System.StringComparison.Ordinal) ? message.Substring(cut + 3) : message;
        }
    }
}
