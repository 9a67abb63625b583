using System;
using System.IO;
using System.Runtime.CompilerServices;

namespace ArchDsl.Tests.Runtime;

/// <summary>Locates the repository (the folder holding ArchDsl.sln) and the shared golden data next to it.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>../shared/golden relative to the repository root.</summary>
    public static string Golden => Path.GetFullPath(Path.Combine(Root, "..", "shared", "golden"));

    private static string FindRoot([CallerFilePath] string sourceFile = "")
    {
        // the test binaries normally live under the repository; the source location covers out-of-tree builds
        foreach (var start in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(sourceFile) ?? "" })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "ArchDsl.sln"))) return dir.FullName;
            }
        }
        throw new InvalidOperationException($"ArchDsl.sln not found above {AppContext.BaseDirectory}");
    }
}
