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
        // compiling is the slow part (about 0.5 s for a zoo family on a shared core): CI compiles every 10th file
        // without an ADSL error; the long run compiles all of them (ARCHDSL_FUZZ_COMPILE_EVERY=1)
        int compileEvery = Setting("ARCHDSL_FUZZ_COMPILE_EVERY", 10);
        var corpus = Corpus();
        var libraries = Repository.Libraries.Select(l => GeneratorHarness.File(Path.Combine(Repository.Architectures, l.Name), l.Text)).ToArray();
        var mutator = new YamlMutator(seed);
        var random = new Random(seed);
        string failuresFolder = Path.Combine(Path.GetTempPath(), $"archdsl-fuzz-{seed}");
        var failures = new List<string>();
        int clean = 0, compiled = 0;
        var slowest = TimeSpan.Zero;
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < files; i++)
        {
            var original = corpus[random.Next(corpus.Count)];
            // mostly the family file; one time in ten a block library it uses
            bool library = random.Next(10) == 0;
            var family = library ? original : GeneratorHarness.File(original.Path, mutator.Mutate(original.GetText().ToString()));
            var blocks = libraries.Select(l => library ? GeneratorHarness.File(l.Path, mutator.Mutate(l.GetText().ToString())) : l).ToArray();
            var outcome = GeneratorCheck.Run(new[] { family }.Concat(blocks).ToArray(), compile: (clean + 1) % compileEvery == 0);
            if (!outcome.HasErrors) clean++;
            if (outcome.Compiled) compiled++;
            if (outcome.Time > slowest) slowest = outcome.Time;
            if (outcome.Failures.Count == 0) continue;
            Directory.CreateDirectory(failuresFolder);
            string saved = Path.Combine(failuresFolder, $"{i}-{Path.GetFileName(family.Path)}");
            File.WriteAllText(saved, library ? blocks[0].GetText().ToString() : family.GetText().ToString());
            failures.Add($"file {i} ({Path.GetFileName(original.Path)}{(library ? ", library mutated" : "")}, saved as {saved}):\n  " + string.Join("\n  ", outcome.Failures));
        }
        string report = $"seed {seed}: {files} files in {clock.Elapsed.TotalSeconds:0.0} s, {clean} without ADSL errors, {compiled} compiled, " +
            $"slowest {slowest.TotalSeconds:0.00} s, {failures.Count} failures";
        _output.WriteLine(report);
        Console.WriteLine(report);
        Assert.True(failures.Count == 0, report + "\n" + string.Join("\n", failures.Take(20)));
    }

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) ? value : fallback;
}
