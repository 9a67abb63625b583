using System;
using System.CommandLine;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using ArchDsl.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace ArchDsl.Cli.Commands;

/// <summary>Wall time of the generator on the zoo's architecture files: the first run in a fresh process (cold, JIT
/// included), a full run once warm, after a one-file edit, and after an unrelated C# edit.</summary>
internal static class GeneratorTimingCommand
{
    public static Command Create()
    {
        var folder = new Option<string>("--architectures") { Description = "folder of *.arch.yaml and *.blocks.yaml files", DefaultValueFactory = _ => "Architectures" };
        var repeat = new Option<int>("--repeat", "-r") { Description = "timed runs per warm measurement (median reported)", DefaultValueFactory = _ => 7 };
        var command = new Command("generator-timing", "wall time of the source generator, cold and incremental") { folder, repeat };
        command.SetAction(parse => Run(parse.GetValue(folder)!, parse.GetValue(repeat)));
        return command;
    }

    private static int Run(string folder, int repeat)
    {
        // the families first (the one-file edit is of the first), then the libraries they use
        var files = Directory.GetFiles(folder, "*.arch.yaml").OrderBy(f => f, StringComparer.Ordinal)
            .Concat(Directory.GetFiles(folder, "*.blocks.yaml").OrderBy(f => f, StringComparer.Ordinal))
            .Select(f => (AdditionalText)new FileText(f, File.ReadAllText(f))).ToArray();
        if (files.Length == 0) { Console.Error.WriteLine($"no *.arch.yaml in {folder}"); return 1; }
        var compilation = CSharpCompilation.Create("Timing", new[] { CSharpSyntaxTree.ParseText("class Unrelated { }") });

        var clock = Stopwatch.StartNew();
        var warm = Driver(files).RunGenerators(compilation);
        double cold = clock.Elapsed.TotalMilliseconds;

        double full = Timing.Median(repeat, warmup: 1, () => Driver(files).RunGenerators(compilation));
        var first = files[0];
        var edited = new FileText(first.Path, first.GetText()!.ToString() + "\n# edited\n");
        double oneFile = Timing.Median(repeat, warmup: 1, () => warm.ReplaceAdditionalText(first, edited).RunGenerators(compilation));
        var unrelated = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("class Other { }"));
        double csharpEdit = Timing.Median(repeat, warmup: 1, () => warm.RunGenerators(unrelated));

        Console.WriteLine($"generator on {files.Length} files ({string.Join(", ", files.Select(f => Path.GetFileName(f.Path)))}):");
        Console.WriteLine($"  cold (first run in a fresh process, JIT included): {cold:F0} ms");
        Console.WriteLine($"  full run, warm:                                    {full:F1} ms");
        Console.WriteLine($"  after editing {Path.GetFileName(first.Path)}:                      {oneFile:F1} ms");
        Console.WriteLine($"  after an unrelated C# edit:                        {csharpEdit:F2} ms");
        Console.WriteLine($"  (median of {repeat} runs for the warm measurements)");
        return 0;
    }

    private static GeneratorDriver Driver(AdditionalText[] files) =>
        CSharpGeneratorDriver.Create(new[] { new ArchGenerator().AsSourceGenerator() }, additionalTexts: files);

    private sealed class FileText(string path, string text) : AdditionalText
    {
        private readonly SourceText _text = SourceText.From(text);
        public override string Path { get; } = path;
        public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
    }
}
