using System.Linq;
using ArchDsl.Dsl.Diagnostics;
using ArchDsl.Dsl.Expressions;
using ArchDsl.Dsl.Model;
using ArchDsl.Dsl.Text;

namespace ArchDsl.Dsl.Resolution
{
    /// <summary>Evaluates values as written: scalars are expressions (quoted or not: inside a <c>{ … }</c> row YAML
    /// needs quotes around commas and brackets), lists are lists. Errors carry the span of the offending part.</summary>
    public static class Evaluator
    {
        public static Value Evaluate(ValueSource source, VariableScope scope)
        {
            if (source.IsList)
                return Value.Of(source.Items.Select(i => Evaluate(i, scope)).ToList());
            Expression expression;
            try
            {
                expression = Expression.Parse(source.Text);
            }
            catch (ExpressionException e)
            {
                throw new DslException(e.Limit ? DiagnosticId.OutOfRange : DiagnosticId.BadExpression,
                    Within(source.Span, e.Offset, !source.IsPlain), $"'{Shorten(source.Text)}': {e.Message}");
            }
            try
            {
                return expression.Evaluate(scope.Lookup);
            }
            catch (ExpressionException e)
            {
                var message = e.Message.StartsWith("unknown variable '", System.StringComparison.Ordinal)
                    ? scope.UnknownMessage(e.Message.Split('\'')[1])
                    : e.Message;
                throw new DslException(DiagnosticId.BadExpression, Within(source.Span, e.Offset, !source.IsPlain), $"'{Shorten(source.Text)}': {message}");
            }
        }

        /// <summary>An expression quoted in a message: at most 80 characters (a 40,000-term sum is not repeated whole).</summary>
        private static string Shorten(string text) => text.Length <= 80 ? text : text.Substring(0, 77) + "…";

        /// <summary>The position <paramref name="offset"/> characters into a one-line plain scalar.</summary>
        private static SourceSpan Within(SourceSpan span, int offset, bool quoted)
        {
            if (quoted) offset++;
            if (span.StartLine != span.EndLine || offset < 0 || offset > span.Length) return span;
            return new SourceSpan(span.Start + offset, span.End, span.StartLine, span.StartColumn + offset, span.EndLine, span.EndColumn);
        }
    }
}
