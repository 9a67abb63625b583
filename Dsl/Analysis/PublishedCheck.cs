using System;
using System.Globalization;
using ArchDsl.Dsl.Model;

namespace ArchDsl.Dsl.Analysis
{
    /// <summary>A published number next to the analytic one counted the same way.</summary>
    public sealed record PublishedCheck(PublishedSpec Published, double Analytic, string Convention, int Resolution)
    {
        public double Difference => Analytic - Published.Value;

        public bool ExactMatches => Published.Exact is null || (long)Analytic == Published.Exact;

        public bool WithinTolerance => Math.Abs(Difference) <= Published.Tolerance * (1 + 1e-12) && ExactMatches;

        public double RelativeDifference => Published.Value == 0 ? 0 : Difference / Published.Value;

        public string Describe()
        {
            string what = Published.Metric == PublishedMetric.Params ? "parameters" : $"MACs ({Convention}, {Resolution}×{Resolution})";
            string exact = Published.Exact is long e ? $", exact {e.ToString("N0", CultureInfo.InvariantCulture)}" : "";
            return $"analytic {what} {Format(Analytic, Published.Printed)} vs published {Published.Printed}{exact} " +
                   $"({RelativeDifference.ToString("+0.0%;-0.0%;0.0%", CultureInfo.InvariantCulture)}; tolerance {Published.TolerancePrinted})";
        }

        /// <summary>Formats an analytic count in the unit the published number uses, one more digit than printed.</summary>
        public static string Format(double value, string printedLike)
        {
            PublishedSpec.TryParseAmount(printedLike, out _, out double unit, out int decimals);
            string suffix = unit switch { 1e3 => "K", 1e6 => "M", 1e9 => "G", _ => "" };
            return (value / unit).ToString("F" + (decimals + 2), CultureInfo.InvariantCulture) + suffix;
        }
    }
}
