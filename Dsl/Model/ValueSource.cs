using ArchDsl.Dsl.Text;
using ArchDsl.Dsl.Util;

namespace ArchDsl.Dsl.Model
{
    /// <summary>A value as written in the file, kept unevaluated (it may refer to variant variables):
    /// a scalar (an expression, possibly quoted) or a list of values.
    /// <paramref name="Provenance"/> is the optional <c>source:</c> of a <c>{ value: …, source: … }</c> wrapper.</summary>
    public sealed record ValueSource(string Text, bool IsPlain, bool IsList, EquatableArray<ValueSource> Items, SourceSpan Span, string? Provenance)
    {
        public static ValueSource Scalar(string text, bool isPlain, SourceSpan span, string? provenance = null) =>
            new ValueSource(text, isPlain, false, EquatableArray<ValueSource>.Empty, span, provenance);

        public static ValueSource List(EquatableArray<ValueSource> items, SourceSpan span, string? provenance = null) =>
            new ValueSource("", false, true, items, span, provenance);

        public override string ToString() => IsList ? "[" + string.Join(", ", Items) + "]" : Text;
    }
}
