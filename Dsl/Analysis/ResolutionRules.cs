using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace ArchDsl.Dsl.Analysis
{
    /// <summary>
    /// Which input sizes a variant accepts, found by tracing shapes at every square size up to <see cref="ScanLimit"/>
    /// and described in words ("H and W multiples of 224"). The exact check at run time traces the actual H×W;
    /// this is the rule stated in documentation and error messages.
    /// </summary>
    public static class ResolutionRules
    {
        public const int ScanLimit = 1024;

        public static IReadOnlyList<int> ValidSizes(VariantAnalysis variant) =>
            Enumerable.Range(1, ScanLimit)
                .Where(s => NetworkTrace.Run(variant.Resolved, s, s, shapesOnly: true).Succeeded)
                .ToList();

        public static string Describe(VariantAnalysis variant) => Describe(ValidSizes(variant));

        public static string Describe(IReadOnlyList<int> valid)
        {
            string I(int v) => v.ToString(CultureInfo.InvariantCulture);
            if (valid.Count == 0) return $"no input size up to {I(ScanLimit)} fits";
            if (valid.Count == ScanLimit) return "any H and W";
            int min = valid[0];
            int step = valid.Aggregate(Gcd);
            var multiples = Enumerable.Range(0, (ScanLimit - min) / step + 1).Select(k => min + k * step);
            if (step > 1 && min % step == 0 && multiples.SequenceEqual(valid))
                return min == step ? $"H and W multiples of {I(step)}" : $"H and W multiples of {I(step)}, at least {I(min)}";
            if (valid.Count == ScanLimit - min + 1) return $"H and W of at least {I(min)}";
            return "H and W in {" + string.Join(", ", valid.Take(8).Select(I)) + (valid.Count > 8 ? ", …}" : "}");
        }

        private static int Gcd(int a, int b) => b == 0 ? a : Gcd(b, a % b);
    }
}
