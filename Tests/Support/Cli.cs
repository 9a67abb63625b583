using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Xunit;

namespace ArchDsl.Tests.Support;

/// <summary>Runs the built archdsl command (built before the tests: the test project depends on it).</summary>
public static class Cli
{
    public static (int ExitCode, string[] Lines, string Error) Run(params string[] args)
    {
        string configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        string cli = Path.Combine(Repository.Root, "Samples", "ArchDsl.Cli", "bin", configuration, "net10.0", "archdsl.dll");
        Assert.True(File.Exists(cli), $"{cli} is missing: build ArchDsl.sln");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { cli }.Concat(args)) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(120_000), $"archdsl {string.Join(" ", args)} did not finish in 2 minutes");
        return (process.ExitCode, output.Split('\n').Select(l => l.TrimEnd('\r')).ToArray(), error);
    }
}
