using System;

namespace ArchDsl.Cli;

/// <summary>A user's mistake (a missing file, an unknown model): one line on standard error, exit code 1.</summary>
internal static class Errors
{
    public static int Report(string message)
    {
        Console.Error.WriteLine("archdsl: " + message);
        return 1;
    }
}
