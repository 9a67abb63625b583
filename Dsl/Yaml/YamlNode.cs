using System.Collections.Generic;
using System.Linq;
using ArchDsl.Dsl.Text;

namespace ArchDsl.Dsl.Yaml
{
    /// <summary>A YAML (or JSON) node with the span it came from. Mappings keep their key order and key spans.</summary>
    public abstract class YamlNode
    {
        protected YamlNode(SourceSpan span) => Span = span;

        public SourceSpan Span { get; }

        public abstract string Describe();
    }

    public sealed class YamlScalar : YamlNode
    {
        public YamlScalar(string value, bool isPlain, SourceSpan span) : base(span)
        {
            Value = value;
            IsPlain = isPlain;
        }

        public string Value { get; }

        /// <summary>Unquoted: read as a number, boolean or expression. Quoted scalars are always text.</summary>
        public bool IsPlain { get; }

        public bool IsNull => IsPlain && (Value.Length == 0 || Value == "~" || Value == "null");

        public override string Describe() => IsPlain ? $"'{Value}'" : $"\"{Value}\"";
    }

    public sealed class YamlSequence : YamlNode
    {
        public YamlSequence(IReadOnlyList<YamlNode> items, SourceSpan span) : base(span) => Items = items;

        public IReadOnlyList<YamlNode> Items { get; }

        public override string Describe() => "a list";
    }

    public sealed class YamlEntry
    {
        public YamlEntry(YamlScalar key, YamlNode value)
        {
            Key = key;
            Value = value;
        }

        public YamlScalar Key { get; }
        public YamlNode Value { get; }
        public string Name => Key.Value;
    }

    public sealed class YamlMapping : YamlNode
    {
        public YamlMapping(IReadOnlyList<YamlEntry> entries, SourceSpan span) : base(span) => Entries = entries;

        public IReadOnlyList<YamlEntry> Entries { get; }

        public YamlEntry? Find(string key) => Entries.FirstOrDefault(e => e.Name == key);

        public YamlNode? this[string key] => Find(key)?.Value;

        public override string Describe() => "a mapping";
    }
}
