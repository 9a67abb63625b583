using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace ArchDsl.Tests.Support;

/// <summary>The generator's promise for one architecture file, whatever it holds: no exception out of the driver, no
/// internal error (ADSL099), every diagnostic located inside the file it names, a bounded time, and — when no ADSL error
/// is reported — generated C# that compiles against the runtime.</summary>
/// <remarks>The time is the generator's processor time on its thread (<see cref="ThreadCpuClock"/>), which is its wall
/// time on an idle machine; the wall time is bounded too, more loosely, so that a file that makes it wait (a hang) fails.</remarks>
public static class GeneratorCheck
{
    /// <summary>The longest a single file may take (the generator runs on every keystroke in an IDE).</summary>
    public static readonly TimeSpan TimeLimit = TimeSpan.FromSeconds(2);

    /// <summary>The longest a single file may take by the wall clock, on a machine shared with other builds.</summary>
    public static readonly TimeSpan WallLimit = TimeSpan.FromSeconds(30);

    private static readonly Lazy<CSharpCompilation> s_empty = new(() =>
    {
        var compilation = GeneratorHarness.Compilation("class Unrelated { }");
        // the first run in a process compiles the generator and the Dsl (JIT): that one is not the file's time
        var warmUp = GeneratorHarness.File("/warm-up/WarmUp.arch.yaml", System.IO.File.ReadAllText(Repository.ArchitectureFile("ResNet")));
        GeneratorHarness.CreateDriver(warmUp).RunGeneratorsAndUpdateCompilation(compilation, out _, out _);
        return compilation;
    });

    /// <summary>What a run yielded: the broken promises (empty when none), whether ADSL reported an error, whether the
    /// generated code was compiled, and the generator's processor and wall time.</summary>
    public sealed record Outcome(IReadOnlyList<string> Failures, bool HasErrors, bool Compiled, TimeSpan Time, TimeSpan Wall);

    /// <param name="compile">Whether to compile the generated code when the file has no error (the slow part).</param>
    public static Outcome Run(InMemoryText[] files, bool compile = true)
    {
        var failures = new List<string>();
        var texts = files.ToDictionary(f => f.Path, f => f.GetText());
        var empty = s_empty.Value;
        GeneratorDriverRunResult result;
        Compilation output;
        TimeSpan time, wall;
        try
        {
            (result, output, time, wall) = Generate(files, empty);
            // a run over the limit is timed once more and the faster run counts: a collection by the garbage collector or
            // a cold cache is not the file's doing, a file that makes the generator slow is slow both times
            if (time > TimeLimit && Generate(files, empty) is var again && again.Time < time) (result, output, time, wall) = again;
        }
        catch (Exception e)
        {
            return new Outcome(new[] { $"the driver threw {e.GetType().Name}: {e.Message}" }, true, false, TimeSpan.Zero, TimeSpan.Zero);
        }
        if (time > TimeLimit) failures.Add($"the generator took {time.TotalSeconds:0.00} s of processor time (limit {TimeLimit.TotalSeconds} s)");
        if (wall > WallLimit) failures.Add($"the generator took {wall.TotalSeconds:0.00} s by the wall clock (limit {WallLimit.TotalSeconds} s)");
        foreach (var r in result.Results.Where(r => r.Exception != null))
            failures.Add($"the generator threw {r.Exception!.GetType().Name}: {r.Exception.Message}");
        foreach (var d in result.Diagnostics)
        {
            if (d.Id == "ADSL099") failures.Add($"internal error: {d}");
            else if (!d.Id.StartsWith("ADSL", StringComparison.Ordinal)) failures.Add($"a diagnostic that is not ADSL's: {d}");
            else if (Misplaced(d, texts) is { } why) failures.Add($"{why}: {d}");
        }
        bool hasErrors = result.Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error);
        bool compiled = false;
        if (compile && !hasErrors && failures.Count == 0)
        {
            compiled = true;
            var errors = output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Take(5).ToList();
            if (errors.Count > 0)
                failures.Add("no ADSL error, yet the generated C# does not compile:\n  " + string.Join("\n  ", errors));
        }
        return new Outcome(failures, hasErrors, compiled, time, wall);
    }

    private static (GeneratorDriverRunResult Result, Compilation Output, TimeSpan Time, TimeSpan Wall) Generate(InMemoryText[] files, Compilation input)
    {
        var clock = Stopwatch.StartNew();
        var start = ThreadCpuClock.Now();
        var driver = GeneratorHarness.CreateDriver(files).RunGeneratorsAndUpdateCompilation(input, out var output, out _);
        return (driver.GetRunResult(), output, ThreadCpuClock.Now() - start, clock.Elapsed);
    }

    /// <summary>Why a diagnostic is not located inside the file it names, or null when it is: its span lies within the
    /// text and its line and column are the ones Roslyn computes for that span.</summary>
    private static string? Misplaced(Diagnostic d, IReadOnlyDictionary<string, SourceText> texts)
    {
        if (d.Location == Location.None) return "a diagnostic without a location";
        var position = d.Location.GetLineSpan();
        if (!texts.TryGetValue(position.Path, out var text)) return $"a diagnostic in an unknown file '{position.Path}'";
        var span = d.Location.SourceSpan;
        if (span.Start < 0 || span.End > text.Length) return $"a span {span} outside the file's {text.Length} characters";
        var expected = text.Lines.GetLinePositionSpan(span);
        if (expected != position.Span) return $"a span whose lines and columns {position.Span} are not the text's {expected}";
        return null;
    }
}
