using System;
using System.Globalization;
using System.Linq;
using System.Text;
using ArchDsl.Dsl.Blocks;

namespace ArchDsl.Dsl.Text
{
    /// <summary>How values of an architecture file are written into generated C#: one place for literals and quoting.</summary>
    public static class CSharp
    {
        public static string Literal(object? value) => value switch
        {
            long l => l.ToString(CultureInfo.InvariantCulture),
            int i => i.ToString(CultureInfo.InvariantCulture),
            double d => Literal(d),
            bool b => b ? "true" : "false",
            string s => Quote(s),
            long[] list => "new long[] { " + string.Join(", ", list.Select(l => l.ToString(CultureInfo.InvariantCulture))) + " }",
            EnumMember e => $"global::{e.EnumType}.{e.Member}",
            Blocks.Primitives.AxisSizes a => "new (string, long)[] { " + string.Join(", ", a.Items.Select(i => $"({Quote(i.Axis)}, {i.Size.ToString(CultureInfo.InvariantCulture)}L)")) + " }",
            null => "null",
            _ => throw new ArgumentException($"no C# literal for {value.GetType().Name}"),
        };

        public static string Literal(double value)
        {
            if (double.IsNaN(value) || double.IsInfinity(value))
                throw new ArgumentException($"{value} has no C# literal");
            var text = value.ToString("R", CultureInfo.InvariantCulture);
            return text.Contains(".") || text.Contains("E") ? text : text + ".0";
        }

        /// <summary>A regular string literal; every character C# would take as a line end is escaped.</summary>
        public static string Quote(string text)
        {
            var b = new StringBuilder(text.Length + 2).Append('"');
            foreach (char c in text)
            {
                switch (c)
                {
                    case '\\': b.Append("\\\\"); break;
                    case '"': b.Append("\\\""); break;
                    case '\n': b.Append("\\n"); break;
                    case '\r': b.Append("\\r"); break;
                    case '\u0085': b.Append("\\u0085"); break;
                    case '\u2028': b.Append("\\u2028"); break;
                    case '\u2029': b.Append("\\u2029"); break;
                    default:
                        if (char.IsControl(c)) b.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                        else b.Append(c);
                        break;
                }
            }
            return b.Append('"').ToString();
        }
    }
}
