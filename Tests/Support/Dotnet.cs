using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using Xunit;

namespace ArchDsl.Tests.Support;

/// <summary>Runs the dotnet command as a user would in a shell: without the test host's MSBuild settings and with the
/// machine's settings that a user would not have removed (see <see cref="Run"/>).</summary>
public static class Dotnet
{
    /// <summary>Runs <c>dotnet args</c> in <paramref name="directory"/>; returns the exit code, stdout + stderr and the
    /// wall time.</summary>
    /// <param name="environment">Variables to set; a null value removes the variable.</param>
    public static (int ExitCode, string Log, TimeSpan Elapsed) Run(string directory, IReadOnlyDictionary<string, string?> environment,
        params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        // the test host's MSBuild settings are not the user's
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(key);
        foreach (var (key, value) in environment)
        {
            if (value is null) start.Environment.Remove(key);
            else start.Environment[key] = value;
        }
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(300_000), $"dotnet {string.Join(" ", args)} did not finish in 5 minutes");
        return (process.ExitCode, output + error.Result, clock.Elapsed);
    }
}
