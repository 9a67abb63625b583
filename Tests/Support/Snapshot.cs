using System;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text;
using DiffPlex.DiffBuilder;
using DiffPlex.DiffBuilder.Model;
using Xunit.Sdk;

namespace ArchDsl.Tests.Support;

/// <summary>
/// Snapshot testing with Verify's conventions (Verify itself is not restorable here): the accepted text lives in
/// <c>Snapshots/NAME.verified.EXT</c> next to the test; on a mismatch <c>NAME.received.EXT</c> is written and the test
/// fails with a diff. Set ARCHDSL_ACCEPT_SNAPSHOTS=1 to accept received text as the new snapshot.
/// </summary>
public static class Snapshot
{
    public const string AcceptVariable = "ARCHDSL_ACCEPT_SNAPSHOTS";

    public static void Verify(string name, string actual, string extension = "cs", [CallerFilePath] string callerFile = "")
    {
        var folder = Path.Combine(Path.GetDirectoryName(callerFile)!, "Snapshots");
        Directory.CreateDirectory(folder);
        var verified = Path.Combine(folder, $"{name}.verified.{extension}");
        var received = Path.Combine(folder, $"{name}.received.{extension}");
        actual = Normalize(actual);

        if (File.Exists(verified) && Normalize(File.ReadAllText(verified)) == actual)
        {
            File.Delete(received);
            return;
        }
        if (Environment.GetEnvironmentVariable(AcceptVariable) == "1")
        {
            File.WriteAllText(verified, actual);
            File.Delete(received);
            return;
        }
        File.WriteAllText(received, actual);
        var expected = File.Exists(verified) ? Normalize(File.ReadAllText(verified)) : "";
        throw new XunitException(
            $"Snapshot '{name}' differs from {Path.GetFileName(verified)}" +
            (File.Exists(verified) ? "" : " (no snapshot yet)") +
            $"; received text written to {received}. Accept it with {AcceptVariable}=1 if the change is intended.\n" +
            UnifiedDiff(expected, actual));
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n").TrimEnd() + "\n";

    /// <summary>The changed lines with two lines of context, like `diff -u` without hunk headers.</summary>
    public static string UnifiedDiff(string expected, string actual, int context = 2, int maxLines = 80)
    {
        var lines = new InlineDiffBuilder(new DiffPlex.Differ()).BuildDiffModel(expected, actual, ignoreWhitespace: false).Lines;
        var changed = lines.Select((l, i) => (l, i)).Where(x => x.l.Type != ChangeType.Unchanged).Select(x => x.i).ToList();
        var output = new StringBuilder();
        int printedUpTo = -1, count = 0;
        foreach (int index in changed)
        {
            for (int i = Math.Max(index - context, printedUpTo + 1); i <= Math.Min(index + context, lines.Count - 1); i++)
            {
                if (i > printedUpTo + 1 && printedUpTo >= 0) output.AppendLine("...");
                var line = lines[i];
                char mark = line.Type switch { ChangeType.Inserted => '+', ChangeType.Deleted => '-', _ => ' ' };
                output.Append(mark).Append(' ').AppendLine(line.Text);
                printedUpTo = i;
                if (++count >= maxLines) return output.AppendLine("... (diff truncated)").ToString();
            }
        }
        return output.ToString();
    }
}
