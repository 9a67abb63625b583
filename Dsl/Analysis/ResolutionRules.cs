using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace ArchDsl.Dsl.Analysis
{
    /// <summary>
    /// Which input sizes a variant accepts, described in words ("H and W multiples of 224"). Every square size up to
    /// <see cref="FullScan"/> is traced (shapes only); the rule they show is then confirmed up to <see cref="ScanLimit"/>
    /// on every size it predicts and on a sample of the others. The exact check at run time traces the actual H×W;
    /// this is the rule stated in documentation and error messages.
    /// </summary>
    public static class ResolutionRules
    {
        public const int FullScan = 256;
        public const int ScanLimit = 1024;

        public static string Describe(VariantAnalysis variant)
        {
            var memo = new Dictionary<string, (Shapes.Shape[] Outputs, long Parameters)>();
            bool Fits(int s) => NetworkTrace.Fits(variant.Resolved, s, s, memo);
            var valid = Enumerable.Range(1, FullScan).Where(Fits).ToList();
            if (valid.Count == 0)
            {
                // a step beyond the full scan (e.g. multiples of 448): trace the rest
                valid = Enumerable.Range(FullScan + 1, ScanLimit - FullScan).Where(Fits).ToList();
            }
            else
            {
                // confirm the rule: the sizes it predicts (a sample when it predicts every size) and a sample of the others
                int step = valid.Aggregate(Gcd), min = valid[0];
                valid.AddRange(Enumerable.Range(FullScan + 1, ScanLimit - FullScan)
                    .Where(s => step > 1 ? (s - min) % step == 0 || s % 97 == 0 : s % 31 == 0)
                    .Where(Fits));
            }
            return Describe(valid);
        }

        /// <summary>Words for a sorted list of accepted sizes; beyond the full scan only the sizes the rule predicts are required.</summary>
        public static string Describe(IReadOnlyList<int> valid)
        {
            if (valid.Count == 0) return $"no input size up to {I(ScanLimit)} fits";
            int step = valid.Aggregate(Gcd), min = valid[0];
            var predicted = Enumerable.Range(0, (ScanLimit - min) / step + 1).Select(k => min + k * step)
                .Where(s => s <= FullScan || step > 1 || s % 31 == 0);
            if (!predicted.All(new HashSet<int>(valid).Contains))
                return "H and W in {" + string.Join(", ", valid.Take(8).Select(I)) + (valid.Count > 8 ? ", …}" : "}");
            if (step == 1)
                return min == 1 ? "any H and W" : $"H and W of at least {I(min)}";
            if (min % step != 0)
                return $"H and W of {I(min)} + a multiple of {I(step)}";
            return min == step ? $"H and W multiples of {I(step)}" : $"H and W multiples of {I(step)}, at least {I(min)}";
        }

        private static int Gcd(int a, int b) => b == 0 ? a : Gcd(b, a % b);

        private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);
    }
}
