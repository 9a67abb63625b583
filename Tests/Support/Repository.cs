using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace ArchDsl.Tests.Support;

/// <summary>Paths inside the repository, found from the test assembly's location.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string Architectures => Path.Combine(Root, "Architectures");
    public static string TestData => Path.Combine(Root, "Tests", "Data");
    public static string Golden => Path.Combine(TestData, "golden");
    public static string Keys => Path.Combine(TestData, "keys");

    public static string ArchitectureFile(string family) => Path.Combine(Architectures, family + ".arch.yaml");

    /// <summary>The zoo's block libraries (Architectures/*.blocks.yaml), as the analysis takes them: file name and text.</summary>
    public static IReadOnlyList<(string Name, string Text)> Libraries { get; } =
        Directory.GetFiles(Path.Combine(FindRoot(), "Architectures"), "*.blocks.yaml").OrderBy(f => f, StringComparer.Ordinal)
            .Select(f => (Path.GetFileName(f), File.ReadAllText(f))).ToList();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ArchDsl.sln")))
                return dir.FullName;
        throw new InvalidOperationException($"ArchDsl.sln not found above {AppContext.BaseDirectory}");
    }
}
