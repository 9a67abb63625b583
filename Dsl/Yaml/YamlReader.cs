using System.Collections.Generic;
using System.IO;
using ArchDsl.Dsl.Diagnostics;
using ArchDsl.Dsl.Text;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace ArchDsl.Dsl.Yaml
{
    /// <summary>Reads YAML (JSON is a subset) into <see cref="YamlNode"/>s with spans, from YamlDotNet's
    /// parser events. Syntax errors and duplicate keys become located diagnostics.</summary>
    public static class YamlReader
    {
        public static YamlNode? Read(string text, DiagnosticBag diagnostics)
        {
            var parser = new Parser(new StringReader(text));
            var anchors = new Dictionary<string, YamlNode>();
            var openFlows = new Stack<Mark>();
            try
            {
                parser.Consume<StreamStart>();
                if (parser.Accept<StreamEnd>(out _))
                {
                    diagnostics.Add(DiagnosticId.Syntax, SourceSpan.None, "the file is empty");
                    return null;
                }
                parser.Consume<DocumentStart>();
                var root = ReadNode(parser, anchors, openFlows, diagnostics);
                parser.Consume<DocumentEnd>();
                if (!parser.Accept<StreamEnd>(out _))
                {
                    var start = parser.Current!.Start;
                    diagnostics.Add(DiagnosticId.Syntax, Span(start, start), "only one YAML document per file is supported");
                }
                return root;
            }
            catch (YamlException e)
            {
                var message = CleanMessage(e);
                if (message.Contains("flow mapping") || message.Contains("flow sequence"))
                    message += QuoteHint;
                diagnostics.Add(DiagnosticId.Syntax, Span(e.Start, e.End), message);
                return null;
            }
            catch (System.Exception e) when (e is not YamlException)
            {
                // YamlDotNet's scanner fails this way (InvalidOperationException) on some unclosed flow collections;
                // point at the bracket that is never closed, or else at where the parser stopped
                if (UnclosedBracket(text) is { } bracket)
                    diagnostics.Add(DiagnosticId.Syntax, bracket, "this { or [ is never closed" + QuoteHint);
                else if (openFlows.Count > 0)
                    diagnostics.Add(DiagnosticId.Syntax, Span(openFlows.Peek(), openFlows.Peek()), "this { or [ is never closed" + QuoteHint);
                else
                    diagnostics.Add(DiagnosticId.Syntax, parser.Current is { } current ? Span(current.Start, current.End) : SourceSpan.None,
                        $"the YAML cannot be read here ({e.Message})");
                return null;
            }
        }

        private static bool ScalarStart(string text, int i)
        {
            int j = i - 1;
            while (j >= 0 && (text[j] == ' ' || text[j] == '\t')) j--;
            return j < 0 || text[j] is '\n' or ':' or ',' or '[' or '{' or '-' or '?';
        }

        /// <summary>The first { or [ (outside quotes and comments) that no bracket closes, if any.</summary>
        internal static SourceSpan? UnclosedBracket(string text)
        {
            var open = new Stack<(int Index, int Line, int Column)>();
            int line = 0, column = 0;
            char quote = '\0';
            bool comment = false;
            for (int i = 0; i < text.Length; i++, column++)
            {
                char c = text[i];
                if (c == '\n')
                {
                    line++;
                    column = -1;
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
                    case '{': case '[': open.Push((i, line, column)); break;
                    case '}': case ']': if (open.Count > 0) open.Pop(); break;
                }
            }
            if (open.Count == 0) return null;
            var first = open.ToArray()[open.Count - 1];
            return new SourceSpan(first.Index, first.Index + 1, first.Line, first.Column, first.Line, first.Column + 1);
        }

        private const string QuoteHint =
            " (inside { … } and [ … ], quote values that contain , [ ] { } or #, e.g. out: \"channels[0] / 2\")";

        private static YamlNode ReadNode(IParser parser, Dictionary<string, YamlNode> anchors, Stack<Mark> openFlows, DiagnosticBag diagnostics)
        {
            if (parser.TryConsume<Scalar>(out var scalar))
            {
                var node = new YamlScalar(scalar.Value, scalar.Style == ScalarStyle.Plain, Span(scalar.Start, scalar.End));
                Remember(anchors, scalar.Anchor, node);
                return node;
            }
            if (parser.TryConsume<AnchorAlias>(out var alias))
            {
                if (anchors.TryGetValue(alias.Value.Value, out var target))
                    return target;
                throw new YamlException(alias.Start, alias.End, $"unknown alias '*{alias.Value.Value}'");
            }
            if (parser.TryConsume<SequenceStart>(out var sequenceStart))
            {
                bool flow = sequenceStart.Style == SequenceStyle.Flow;
                if (flow) openFlows.Push(sequenceStart.Start);
                var items = new List<YamlNode>();
                while (!parser.TryConsume<SequenceEnd>(out _))
                    items.Add(ReadNode(parser, anchors, openFlows, diagnostics));
                if (flow) openFlows.Pop();
                var start = Span(sequenceStart.Start, sequenceStart.End);
                var node = new YamlSequence(items, items.Count > 0 ? Join(start, items[items.Count - 1].Span) : start);
                Remember(anchors, sequenceStart.Anchor, node);
                return node;
            }
            if (parser.TryConsume<MappingStart>(out var mappingStart))
            {
                bool flow = mappingStart.Style == MappingStyle.Flow;
                if (flow) openFlows.Push(mappingStart.Start);
                var entries = new List<YamlEntry>();
                var seen = new HashSet<string>();
                while (!parser.TryConsume<MappingEnd>(out _))
                {
                    var keyNode = ReadNode(parser, anchors, openFlows, diagnostics);
                    if (keyNode is not YamlScalar key)
                        throw new YamlException(Mark(keyNode.Span), Mark(keyNode.Span), "mapping keys must be plain names");
                    var value = ReadNode(parser, anchors, openFlows, diagnostics);
                    if (!seen.Add(key.Value))
                    {
                        diagnostics.Add(DiagnosticId.Duplicate, key.Span, $"duplicate key '{key.Value}': each key may appear once in a mapping");
                        continue;
                    }
                    entries.Add(new YamlEntry(key, value));
                }
                if (flow) openFlows.Pop();
                var end = entries.Count > 0 ? entries[entries.Count - 1].Value.Span : Span(mappingStart.Start, mappingStart.End);
                var node = new YamlMapping(entries, Join(Span(mappingStart.Start, mappingStart.End), end));
                Remember(anchors, mappingStart.Anchor, node);
                return node;
            }
            var current = parser.Current!;
            throw new YamlException(current.Start, current.End, $"unexpected {current.GetType().Name}");
        }

        private static void Remember(Dictionary<string, YamlNode> anchors, AnchorName anchor, YamlNode node)
        {
            if (!anchor.IsEmpty)
                anchors[anchor.Value] = node;
        }

        private static SourceSpan Join(SourceSpan first, SourceSpan last) =>
            new SourceSpan(first.Start, last.End, first.StartLine, first.StartColumn, last.EndLine, last.EndColumn);

        /// <summary>YamlDotNet marks are 1-based in line and column; spans are 0-based like Roslyn's.</summary>
        internal static SourceSpan Span(Mark start, Mark end) =>
            new SourceSpan((int)start.Index, (int)end.Index,
                (int)start.Line - 1, (int)start.Column - 1, (int)end.Line - 1, (int)end.Column - 1);

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
