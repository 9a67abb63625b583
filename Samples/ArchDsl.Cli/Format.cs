using System.Globalization;
using ArchDsl.Dsl.Analysis;
using ArchDsl.Dsl.Model;

namespace ArchDsl.Cli;

internal static class Format
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Count(long value) => value.ToString("N0", Inv);
    public static string Giga(double value, int decimals = 3) => (value / 1e9).ToString("F" + decimals, Inv) + "G";
    public static string Ms(double value) => value.ToString(value < 10 ? "F2" : "F1", Inv);
    public static string Number(double value, string format) => value.ToString(format, Inv);

    /// <summary>✓ within tolerance, ✗ outside, ≈ outside for a documented reason.</summary>
    public static string Verdict(PublishedCheck check) =>
        check.WithinTolerance ? "✓" : check.Published.KnownGap != null ? "≈" : "✗";

    public static string Published(PublishedCheck check)
    {
        var p = check.Published;
        string analytic = p.Metric == PublishedMetric.Params ? Count((long)check.Analytic) : PublishedCheck.Format(check.Analytic, p.Printed);
        string where = p.Metric == PublishedMetric.Macs ? $" {p.Convention} @{p.Resolution}" : "";
        return $"{p.Printed}{where} → {analytic} {Verdict(check)}";
    }
}
