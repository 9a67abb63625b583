using System;
using System.IO;
using System.Linq;
using ArchDsl.Runtime;

namespace ArchDsl.Tests.Support;

/// <summary>What the memory tests read of the process: live tensor handles once finalizers have run, and the resident set.</summary>
public static class ProcessMemory
{
    /// <summary>Live tensor handles after a full collection, so that handles only the finalizer still holds are gone.</summary>
    public static long SettledLiveCount()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return Tensor.LiveCount;
    }

    /// <summary>The resident set size (VmRSS of /proc/self/status), in bytes.</summary>
    public static long ResidentBytes()
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
    }
}
