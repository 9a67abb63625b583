using System;
using System.Diagnostics;

namespace ArchDsl.Cli;

/// <summary>The timed harness of bench, train-step and plot --latency: warm-up passes, then the median of timed ones.</summary>
internal static class Timing
{
    /// <summary>Milliseconds of the median of <paramref name="repeat"/> passes after <paramref name="warmup"/> untimed ones.</summary>
    public static double Median(int repeat, int warmup, Action pass)
    {
        for (int i = 0; i < warmup; i++) pass();
        var times = new double[repeat];
        for (int i = 0; i < repeat; i++)
        {
            var clock = Stopwatch.StartNew();
            pass();
            times[i] = clock.Elapsed.TotalMilliseconds;
        }
        Array.Sort(times);
        return times[repeat / 2];
    }
}
