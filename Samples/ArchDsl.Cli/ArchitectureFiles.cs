using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace ArchDsl.Cli;

/// <summary>Architecture files and block libraries on disk, seen as a project that includes its folder's files sees them.</summary>
internal static class ArchitectureFiles
{
    public static bool IsLibrary(string file) => file.EndsWith(".blocks.yaml", StringComparison.OrdinalIgnoreCase);

    public static bool IsFamily(string file) =>
        file.EndsWith(".arch.yaml", StringComparison.OrdinalIgnoreCase) || file.EndsWith(".arch.json", StringComparison.OrdinalIgnoreCase);

    /// <summary>The libraries named on the command line and those in the file's folder, each once.</summary>
    public static IReadOnlyList<(string Name, string Text)> Libraries(string file, IEnumerable<string> named)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(file))!;
        return named.Select(Path.GetFullPath).Concat(Directory.GetFiles(folder, "*.blocks.yaml"))
            .Distinct(StringComparer.Ordinal).OrderBy(f => f, StringComparer.Ordinal)
            .Select(f => (Path.GetFileName(f), File.ReadAllText(f))).ToList();
    }
}
