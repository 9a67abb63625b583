using System.Collections.Generic;
using System.Linq;

namespace ArchDsl.Cli.Plots;

/// <summary>The points no other point beats: none cheaper (smaller x) with at least the same accuracy (y).</summary>
internal static class ParetoFront
{
    /// <summary>The front's points by increasing cost; of equal costs only the most accurate can be on it.</summary>
    public static IReadOnlyList<(double X, double Y)> Of(IEnumerable<(double X, double Y)> points)
    {
        var front = new List<(double X, double Y)>();
        foreach (var p in points.OrderBy(p => p.X).ThenByDescending(p => p.Y))
            if (front.Count == 0 || p.Y > front[^1].Y)
                front.Add(p);
        return front;
    }
}
