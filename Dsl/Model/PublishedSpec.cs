using System;
using System.Globalization;
using ArchDsl.Dsl.Text;

namespace ArchDsl.Dsl.Model
{
    public enum PublishedMetric { Params, Macs, Top1 }

    /// <summary>A number a paper or official repository published, with what it means and where it comes from.</summary>
    /// <param name="Printed">The number as printed, e.g. "3.20M": its precision sets the default tolerance.</param>
    /// <param name="Exact">An exact integer (e.g. counted from the official code), checked for equality.</param>
    /// <param name="Resolution">Input size the number refers to (MACs).</param>
    /// <param name="Tolerance">Allowed |analytic − published|, in base units (not M or G).</param>
    /// <param name="KnownGap">Why the analytic number is known not to match (reported, never silently passing).</param>
    /// <param name="Note">What a reader of the report should know about the number (e.g. why its counter differs from true MACs).</param>
    public sealed record PublishedSpec(
        PublishedMetric Metric,
        string Printed,
        double Value,
        long? Exact,
        int? Resolution,
        string? Convention,
        double Tolerance,
        string TolerancePrinted,
        string Source,
        string? KnownGap,
        string? Note,
        SourceSpan Span)
    {
        /// <summary>Parses "3.20M", "0.56G", "78.7", "1,370,593" into a value in base units and the unit factor.</summary>
        public static bool TryParseAmount(string text, out double value, out double unit, out int decimals)
        {
            text = text.Trim().Replace(",", "").Replace("_", "");
            unit = 1;
            if (text.Length > 0)
            {
                switch (char.ToUpperInvariant(text[text.Length - 1]))
                {
                    case 'K': unit = 1e3; break;
                    case 'M': unit = 1e6; break;
                    case 'G': unit = 1e9; break;
                }
                if (unit != 1) text = text.Substring(0, text.Length - 1);
            }
            int dot = text.IndexOf('.');
            decimals = dot < 0 ? 0 : text.Length - dot - 1;
            bool ok = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double number);
            value = number * unit;
            return ok && !text.Contains("e") && !text.Contains("E");
        }

        /// <summary>Half a unit of the last printed digit: "3.20M" is any value in [3.195M, 3.205M).</summary>
        public static double RoundingTolerance(double unit, int decimals) => 0.5 * unit * Math.Pow(10, -decimals);
    }
}
