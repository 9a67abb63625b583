using ArchDsl.Dsl.Diagnostics;
using ArchDsl.Dsl.Model;
using ArchDsl.Dsl.Resolution;

namespace ArchDsl.Dsl.Costs
{
    /// <summary>How a row's operations count under one convention when its rule does not describe what the counter
    /// did (<c>counts: { convention: … }</c>): <c>elements</c> (an element-wise product a paper's formula counts),
    /// <c>macs_with_bias</c> (a linear layer's parameters per token, as cvnets' transformers profile it), or a number
    /// (an expression; the row's first operation carries it, the others count 0).</summary>
    public sealed record CountRule(string Keyword, long Value)
    {
        public static readonly string[] Keywords = { "elements", "macs_with_bias" };

        public long Count(CostEntry entry, bool first) => Keyword switch
        {
            "elements" => entry.Elements,
            "macs_with_bias" => entry.Macs + entry.BiasAdds,
            _ => first ? Value : 0,
        };

        public static CountRule Of(ValueSource source, VariableScope scope)
        {
            if (source.IsPlain && !source.IsList && System.Array.IndexOf(Keywords, source.Text) >= 0)
                return new CountRule(source.Text, 0);
            double value = Arguments.Number(Evaluator.Evaluate(source, scope), source.Span, "a count");
            if (value < 0 || value != System.Math.Floor(value))
                throw new DslException(DiagnosticId.NotInteger, source.Span, $"a count must be a whole number ≥ 0, or one of {string.Join(", ", Keywords)}, not {value}");
            return new CountRule("", (long)value);
        }
    }
}
