using System;
using System.Runtime.InteropServices;

namespace ArchDsl.Tests.Support;

/// <summary>The processor time of the calling thread (Linux: clock_gettime(CLOCK_THREAD_CPUTIME_ID)). On a shared machine a
/// thread waits for a core as long as it runs (load 20 on 2 cores triples wall times), so a bound on the work a file causes
/// is checked on this time; elsewhere it falls back to the wall clock.</summary>
public static class ThreadCpuClock
{
    private const int ClockThreadCpuTimeId = 3;

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec time);

    public static TimeSpan Now()
    {
        if (!OperatingSystem.IsLinux()) return TimeSpan.FromTicks(System.Diagnostics.Stopwatch.GetTimestamp() * TimeSpan.TicksPerSecond / System.Diagnostics.Stopwatch.Frequency);
        if (ClockGetTime(ClockThreadCpuTimeId, out var time) != 0) throw new InvalidOperationException("clock_gettime failed");
        return TimeSpan.FromTicks(time.Seconds * TimeSpan.TicksPerSecond + time.Nanoseconds / 100);
    }
}
