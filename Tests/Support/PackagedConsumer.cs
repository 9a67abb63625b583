using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Xunit;

namespace ArchDsl.Tests.Support;

/// <summary>
/// A user's console project outside the repository that gets ArchDsl the way a user does: the repository's packages
/// are packed into a local folder feed, and <c>dotnet new console</c> + <c>dotnet add package ArchDsl</c> make the
/// project, with the machine's own package sources beside the feed. Shared by the tests of a class (xunit runs them one
/// after another), so packing and restoring happen once.
/// </summary>
public sealed class PackagedConsumer : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "archdsl-consumer-" + Guid.NewGuid().ToString("N")[..8]);

    public PackagedConsumer()
    {
        Directory.CreateDirectory(Feed);
        Directory.CreateDirectory(Project);
        Timings = new List<(string, TimeSpan)>();
        // the packages the tests just built: no rebuild, the configuration the tests run in
        foreach (var project in new[] { "Dsl/ArchDsl.Dsl.csproj", "Runtime/ArchDsl.Runtime.csproj" })
            Step("pack " + Path.GetFileNameWithoutExtension(project), Repository.Root,
                "pack", Path.Combine(Repository.Root, project), "-c", Configuration, "--no-build", "-o", Feed, "-nologo");
        string package = Assert.Single(Directory.GetFiles(Feed, "ArchDsl.*.nupkg"), f => !Path.GetFileName(f).StartsWith("ArchDsl.Dsl.", StringComparison.Ordinal));
        Version = Path.GetFileNameWithoutExtension(package)["ArchDsl.".Length..];

        // the feed beside the machine's package sources (a nuget.config adds to the user's and the machine's); the
        // packages the repository itself restored (Roslyn, YamlDotNet) are read from its packages folder, not downloaded
        File.WriteAllText(Path.Combine(_root, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="archdsl-local" value="{Feed}" />
              </packageSources>
              <fallbackPackageFolders>
                <add key="repository-packages" value="{RepositoryPackages}" />
              </fallbackPackageFolders>
            </configuration>
            """);
        Step("dotnet new console", Project, "new", "console", "--name", ProjectName, "--output", ".", "--no-restore");
        Step("dotnet add package ArchDsl", Project, "add", "package", "ArchDsl", "--version", Version);
    }

    public const string ProjectName = "MyNets";

    /// <summary>The local folder feed the packages are packed into.</summary>
    public string Feed => Path.Combine(_root, "feed");

    /// <summary>The console project's directory.</summary>
    public string Project => Path.Combine(_root, ProjectName);

    /// <summary>The version of ArchDsl packed (the repository's).</summary>
    public string Version { get; }

    /// <summary>How long each step took, in order.</summary>
    public List<(string Step, TimeSpan Elapsed)> Timings { get; }

    /// <summary>The project's packages go to a folder of its own, so every run restores what it just packed (the
    /// repository's packages folder is a read-only fallback). Its path has no trailing slash: package props must not
    /// build paths by appending to $(NuGetPackageRoot).</summary>
    public Dictionary<string, string?> Environment => new()
    {
        ["NUGET_PACKAGES"] = Path.Combine(_root, "packages"),
        // this machine turns the compiler server off for every build; a user's machine does not
        ["UseSharedCompilation"] = null,
    };

    /// <summary>Runs <c>dotnet args</c> in the project and records its time under <paramref name="step"/>.</summary>
    public (int ExitCode, string Log, TimeSpan Elapsed) Run(string step, params string[] args)
    {
        var result = Dotnet.Run(Project, Environment, args);
        Timings.Add((step, result.Elapsed));
        return result;
    }

    /// <summary>Builds the project the way a user does (<c>dotnet build</c>, default configuration).</summary>
    public (int ExitCode, string Log, TimeSpan Elapsed) Build(string step) => Run(step, "build", "-nologo", "-v", "quiet");

    /// <summary>The built program's output (run without rebuilding).</summary>
    public string RunProgram()
    {
        var (exitCode, log, _) = Run("run the program", BuiltAssembly);
        Assert.True(exitCode == 0, log);
        return log;
    }

    /// <summary>The program as <c>dotnet build</c> leaves it (Debug, the default configuration).</summary>
    public string BuiltAssembly => Path.Combine(Project, "bin", "Debug", "net10.0", ProjectName + ".dll");

    public void Write(string file, string text) => File.WriteAllText(Path.Combine(Project, file), text);

    public void Delete(string file) => File.Delete(Path.Combine(Project, file));

    private void Step(string step, string directory, params string[] args)
    {
        var (exitCode, log, elapsed) = Dotnet.Run(directory, Environment, args);
        Timings.Add((step, elapsed));
        Assert.True(exitCode == 0, $"{step} failed:\n{log}");
    }

    /// <summary>Where the repository's packages were restored (NUGET_PACKAGES, or NuGet's default folder).</summary>
    private static string RepositoryPackages =>
        System.Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } folder ? folder
            : Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    /// <summary>The configuration the tests were built in (the packed projects are then up to date).</summary>
    private static string Configuration => new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }
}
