using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using ArchDsl.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace ArchDsl.Tests.Fuzz;

/// <summary>Mutated copies of the zoo's and the fixtures' architecture files through the real generator
/// (CSharpGeneratorDriver), each held to <see cref="GeneratorCheck"/>. CI runs a short campaign with a fixed seed;
/// scripts/fuzz.sh runs a long one by setting ARCHDSL_FUZZ_FILES, ARCHDSL_FUZZ_SEED and ARCHDSL_FUZZ_COMPILE_EVERY.</summary>
public class GeneratorFuzzTests
{
    private readonly ITestOutputHelper _output;

    public GeneratorFuzzTests(ITestOutputHelper output) => _output = output;

    /// <summary>The files mutated: every zoo family and every fixture, with the block libraries beside them.</summary>
    public static IReadOnlyList<InMemoryText> Corpus() =>
        Directory.GetFiles(Repository.Architectures, "*.arch.yaml")
            .Concat(Directory.GetFiles(Path.Combine(Repository.Root, "Tests", "Models", "Fixtures"), "*.arch.yaml"))
            .Concat(Directory.GetFiles(Path.Combine(Repository.TestData, "user-project"), "*.arch.yaml"))
            .OrderBy(f => f, StringComparer.Ordinal)
            .Select(f => GeneratorHarness.File(f, File.ReadAllText(f)))
            .ToList();

    [Fact]
    public void Mutated_architecture_files_get_located_diagnostics_or_code_that_compiles()
    {
        int files = Setting("ARCHDSL_FUZZ_FILES", 2000);
        int seed = Setting("ARCHDSL_FUZZ_SEED", 11);
        // compiling is the slow part (seconds for a zoo family on a shared core): CI compiles the generated code of every
        // 10th file (when it has no ADSL error); the long run can compile all of them (ARCHDSL_FUZZ_COMPILE_EVERY=1)
        int compileEvery = Setting("ARCHDSL_FUZZ_COMPILE_EVERY", 10);
        var corpus = Corpus();
        var libraries = Repository.Libraries.Select(l => GeneratorHarness.File(Path.Combine(Repository.Architectures, l.Name), l.Text)).ToArray();
        string failuresFolder = Path.Combine(Path.GetTempPath(), $"archdsl-fuzz-{seed}");
        var outcomes = new GeneratorCheck.Outcome[files];
        var failures = new string?[files];
        int done = 0, failing = 0;
        Directory.CreateDirectory(failuresFolder);
        string progress = Path.Combine(failuresFolder, "progress.txt");
        File.Delete(progress);
        var clock = Stopwatch.StartNew();
        // each file is made from the seed and its number alone, so the files are the same however they are scheduled
        System.Threading.Tasks.Parallel.For(0, files, new System.Threading.Tasks.ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            var (original, mutated, all) = Case(corpus, libraries, seed, i);
            var outcome = outcomes[i] = GeneratorCheck.Run(all, compile: i % compileEvery == 0);
            if (outcome.Failures.Count > 0)
            {
                // saved for a look (a lone surrogate is written as U+FFFD); the seed and the number remake it exactly
                string saved = Path.Combine(failuresFolder, $"{i}-{Path.GetFileName(mutated.Path)}");
                File.WriteAllText(saved, mutated.GetText().ToString(), new System.Text.UTF8Encoding(false));
                failures[i] = $"file {i} (from {Path.GetFileName(original)}, saved as {saved}):\n  " + string.Join("\n  ", outcome.Failures);
                System.Threading.Interlocked.Increment(ref failing);
            }
            // a long run says how far it got
            if (System.Threading.Interlocked.Increment(ref done) % 1000 == 0)
                lock (failures) File.AppendAllText(progress, $"{done} files, {failing} failures, {clock.Elapsed.TotalSeconds:0} s\n");
        });
        int clean = outcomes.Count(o => !o.HasErrors), compiled = outcomes.Count(o => o.Compiled);
        var slowest = outcomes.Max(o => o.Time);
        var slowestWall = outcomes.Max(o => o.Wall);
        var failed = failures.Where(f => f != null).ToList();
        string report = $"seed {seed}: {files} files in {clock.Elapsed.TotalSeconds:0.0} s, {clean} without ADSL errors, {compiled} compiled, " +
            $"slowest {slowest.TotalSeconds:0.00} s of processor time ({slowestWall.TotalSeconds:0.00} s by the wall clock at most), {failed.Count} failures";
        _output.WriteLine(report);
        Console.WriteLine(report);
        Assert.True(failed.Count == 0, report + "\n" + string.Join("\n", failed.Take(20)));
    }

    /// <summary>Mutated file number <paramref name="index"/> of the campaign <paramref name="seed"/>, with the files the
    /// generator sees beside it: mostly a family file mutated; one time in ten a block library (the family file as it is).</summary>
    private static (string Original, InMemoryText Mutated, InMemoryText[] Files) Case(IReadOnlyList<InMemoryText> corpus, InMemoryText[] libraries, int seed, int index)
    {
        int caseSeed = unchecked(seed * 1_000_003 + index);
        var random = new Random(caseSeed);
        var mutator = new YamlMutator(caseSeed);
        var family = corpus[random.Next(corpus.Count)];
        if (random.Next(10) == 0)
        {
            int k = random.Next(libraries.Length);
            var library = GeneratorHarness.File(libraries[k].Path, mutator.Mutate(libraries[k].GetText().ToString()));
            return (libraries[k].Path, library, new[] { family }.Concat(libraries.Select((l, j) => j == k ? library : l)).ToArray());
        }
        var mutated = GeneratorHarness.File(family.Path, mutator.Mutate(family.GetText().ToString()));
        return (family.Path, mutated, new[] { mutated }.Concat(libraries).ToArray());
    }

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) ? value : fallback;
}
