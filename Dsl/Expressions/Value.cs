using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace ArchDsl.Dsl.Expressions
{
    public enum ValueKind { Number, Bool, Text, List }

    /// <summary>A value in an architecture file: a number, boolean, text or list of values.</summary>
    public sealed class Value : IEquatable<Value>
    {
        private Value(ValueKind kind, double number, bool flag, string? text, IReadOnlyList<Value>? items)
        {
            Kind = kind;
            Number = number;
            Bool = flag;
            Text = text ?? "";
            Items = items ?? Array.Empty<Value>();
        }

        public ValueKind Kind { get; }
        public double Number { get; }
        public bool Bool { get; }
        public string Text { get; }
        public IReadOnlyList<Value> Items { get; }

        public static Value Of(double number) => new Value(ValueKind.Number, number, false, null, null);
        public static Value Of(bool flag) => new Value(ValueKind.Bool, 0, flag, null, null);
        public static Value Of(string text) => new Value(ValueKind.Text, 0, false, text, null);
        public static Value Of(IReadOnlyList<Value> items) => new Value(ValueKind.List, 0, false, null, items);

        public bool IsInteger => Kind == ValueKind.Number && Math.Abs(Number - Math.Round(Number)) < 1e-9;

        public string KindName => Kind switch
        {
            ValueKind.Number => IsInteger ? "integer" : "number",
            ValueKind.Bool => "boolean",
            ValueKind.Text => "text",
            _ => "list",
        };

        public override string ToString() => Kind switch
        {
            ValueKind.Number => Number.ToString("R", CultureInfo.InvariantCulture),
            ValueKind.Bool => Bool ? "true" : "false",
            ValueKind.Text => Text,
            _ => "[" + string.Join(", ", Items.Select(i => i.ToString())) + "]",
        };

        public bool Equals(Value? other) =>
            other is not null && Kind == other.Kind && Number.Equals(other.Number) && Bool == other.Bool
            && Text == other.Text && Items.SequenceEqual(other.Items);

        public override bool Equals(object? obj) => Equals(obj as Value);

        public override int GetHashCode() => Kind switch
        {
            ValueKind.Number => Number.GetHashCode(),
            ValueKind.Bool => Bool.GetHashCode(),
            ValueKind.Text => Text.GetHashCode(),
            _ => Items.Count,
        };
    }
}
