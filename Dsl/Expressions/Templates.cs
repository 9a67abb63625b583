using System;
using System.Text;
using ArchDsl.Dsl.Diagnostics;
using ArchDsl.Dsl.Model;
using ArchDsl.Dsl.Resolution;
using ArchDsl.Dsl.Text;

namespace ArchDsl.Dsl.Expressions
{
    /// <summary>Text with <c>{expression}</c> holes, as names, kinds and text parameters may be written:
    /// <c>encoder_layer_{i}</c>, <c>"{act}"</c>, <c>"{heads} heads do not divide {attn_dim}"</c>.</summary>
    public static class Templates
    {
        public static bool IsTemplate(string text) => text.IndexOf('{') >= 0;

        /// <summary>The text without its holes (to check what remains).</summary>
        public static string Strip(string text)
        {
            var b = new StringBuilder();
            int depth = 0;
            foreach (char c in text)
            {
                if (c == '{') depth++;
                else if (c == '}') depth = Math.Max(0, depth - 1);
                else if (depth == 0) b.Append(c);
            }
            return b.ToString();
        }

        /// <summary>Fills every hole with its value (integers without a decimal point).</summary>
        public static string Expand(string text, SourceSpan span, VariableScope scope)
        {
            if (!IsTemplate(text)) return text;
            var b = new StringBuilder();
            int i = 0;
            while (i < text.Length)
            {
                int open = text.IndexOf('{', i);
                if (open < 0) { b.Append(text, i, text.Length - i); break; }
                int close = text.IndexOf('}', open + 1);
                if (close < 0)
                    throw new DslException(DiagnosticId.BadExpression, span, $"'{text}': the {{ at {open + 1} is never closed");
                b.Append(text, i, open - i);
                var hole = ValueSource.Scalar(text.Substring(open + 1, close - open - 1), true, span);
                var value = Evaluator.Evaluate(hole, scope);
                b.Append(value.IsInteger ? ((long)Math.Round(value.Number)).ToString(System.Globalization.CultureInfo.InvariantCulture)
                    : value.Kind == ValueKind.Number ? value.Number.ToString("0.######", System.Globalization.CultureInfo.InvariantCulture)
                    : value.ToString());
                i = close + 1;
            }
            return b.ToString();
        }
    }
}
