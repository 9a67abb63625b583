using System;
using System.Collections.Generic;
using System.Linq;

namespace ArchDsl.Dsl.Util
{
    /// <summary>"Did you mean" suggestions by edit distance.</summary>
    public static class Suggest
    {
        public static string? Closest(string word, IEnumerable<string> candidates) => Nearest(word, candidates, 1).FirstOrDefault();

        /// <summary>Up to <paramref name="count"/> candidates close to <paramref name="word"/> (case ignored), closest first.</summary>
        public static IReadOnlyList<string> Nearest(string word, IEnumerable<string> candidates, int count)
        {
            // beyond a third of the word's length, a suggestion is noise rather than help
            int limit = Math.Max(2, word.Length / 3);
            return candidates
                .Select(c => (Candidate: c, Distance: Distance(word.ToLowerInvariant(), c.ToLowerInvariant())))
                .Where(c => c.Distance <= limit)
                .OrderBy(c => c.Distance)
                .Take(count)
                .Select(c => c.Candidate)
                .ToList();
        }

        public static string DidYouMean(string word, IEnumerable<string> candidates)
        {
            var list = candidates.ToList();
            var closest = Closest(word, list);
            return closest != null
                ? $"; did you mean '{closest}'?"
                : $"; expected one of: {string.Join(", ", list.OrderBy(c => c, StringComparer.Ordinal))}";
        }

        /// <summary>Optimal string alignment distance (Levenshtein plus adjacent transpositions).</summary>
        public static int Distance(string a, string b)
        {
            var d = new int[a.Length + 1, b.Length + 1];
            for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
            for (int j = 0; j <= b.Length; j++) d[0, j] = j;
            for (int i = 1; i <= a.Length; i++)
            {
                for (int j = 1; j <= b.Length; j++)
                {
                    int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                    d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                    if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                        d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
            return d[a.Length, b.Length];
        }
    }
}
