using System;
using System.Collections.Generic;
using System.Linq;
using ArchDsl.Dsl.Expressions;

namespace ArchDsl.Dsl.Blocks
{
    public enum ParamType { Int, Number, Bool, Choice, Text, IntList }

    /// <summary>A parameter a block kind accepts: its type, allowed range, default, and how it is passed to the runtime
    /// constructor. C# kinds declare theirs in code; blocks written in YAML declare theirs under <c>params:</c>.</summary>
    public sealed class ParamDecl
    {
        private ParamDecl(string name, ParamType type, string doc, double min, double max, IReadOnlyList<string> choices, string? enumType)
        {
            Name = name;
            Type = type;
            Doc = doc;
            Min = min;
            Max = max;
            Choices = choices;
            EnumType = enumType;
            CSharpName = name;
        }

        public string Name { get; }
        public ParamType Type { get; }
        public string Doc { get; }
        public double Min { get; }
        public double Max { get; }
        public IReadOnlyList<string> Choices { get; }

        /// <summary>The runtime enum a choice maps to, e.g. ArchDsl.Runtime.Blocks.XfaContext.</summary>
        public string? EnumType { get; }

        /// <summary>Default value when a row leaves the parameter out. Only for framework conventions
        /// (e.g. PyTorch's eps), never for choices a paper leaves open: those belong in the YAML.</summary>
        public Value? Default { get; private set; }

        public string CSharpName { get; private set; }

        /// <summary>A default written in YAML as an expression over the block's other parameters and <c>in_channels</c>.</summary>
        public Model.ValueSource? DefaultSource { get; private set; }

        public bool Required => Default is null && DefaultSource is null;

        /// <summary>Sizes: at least 1 and at most <paramref name="max"/>, so typos like 10^9 are caught.</summary>
        public static ParamDecl Int(string name, string doc, double min = 1, double max = 65536) =>
            new ParamDecl(name, ParamType.Int, doc, min, max, Array.Empty<string>(), null);

        public static ParamDecl Number(string name, string doc, double min, double max) =>
            new ParamDecl(name, ParamType.Number, doc, min, max, Array.Empty<string>(), null);

        public static ParamDecl Bool(string name, string doc) =>
            new ParamDecl(name, ParamType.Bool, doc, 0, 0, Array.Empty<string>(), null);

        public static ParamDecl Choice(string name, string doc, string enumType, params string[] choices) =>
            new ParamDecl(name, ParamType.Choice, doc, 0, 0, choices, enumType);

        public static ParamDecl Text(string name, string doc) =>
            new ParamDecl(name, ParamType.Text, doc, 0, 0, Array.Empty<string>(), null);

        /// <summary>A list of integers (dims of a permute, sizes of a split); each item within [min, max].</summary>
        public static ParamDecl IntList(string name, string doc, double min = -64, double max = 65536) =>
            new ParamDecl(name, ParamType.IntList, doc, min, max, Array.Empty<string>(), null);

        /// <summary>A parameter declared in YAML: any type, range and choices, no runtime enum.</summary>
        public static ParamDecl Declared(string name, ParamType type, string doc, double min, double max, IReadOnlyList<string> choices) =>
            new ParamDecl(name, type, doc, min, max, choices, null);

        public ParamDecl WithDefault(Model.ValueSource source)
        {
            DefaultSource = source;
            return this;
        }

        public ParamDecl WithDefault(Value value)
        {
            Default = value;
            return this;
        }

        public ParamDecl WithDefault(double number) => WithDefault(Value.Of(number));
        public ParamDecl WithDefault(bool flag) => WithDefault(Value.Of(flag));
        public ParamDecl WithDefault(string text) => WithDefault(Value.Of(text));

        /// <summary>The runtime constructor's parameter name when it differs from the YAML key
        /// (e.g. <c>out</c> is <c>out_channels</c>, as in PyTorch and TorchSharp).</summary>
        public ParamDecl AsArgument(string csharpName)
        {
            CSharpName = csharpName;
            return this;
        }

        public string Describe() => Type switch
        {
            ParamType.Int => $"an integer in [{Min:0.###}, {Max:0.###}]",
            ParamType.Number => $"a number in [{Min:0.###}, {Max:0.###}]",
            ParamType.Bool => "true or false",
            ParamType.Choice => "one of " + string.Join(", ", Choices),
            ParamType.IntList => $"a list of integers in [{Min:0.###}, {Max:0.###}]",
            _ => "text",
        };

        internal static string ToCamel(string snake)
        {
            var parts = snake.Split('_');
            return parts[0] + string.Concat(parts.Skip(1).Select(p => p.Length == 0 ? p : char.ToUpperInvariant(p[0]) + p.Substring(1)));
        }

        internal static string ToPascal(string snake)
        {
            var camel = ToCamel(snake);
            return camel.Length == 0 ? camel : char.ToUpperInvariant(camel[0]) + camel.Substring(1);
        }
    }
}
