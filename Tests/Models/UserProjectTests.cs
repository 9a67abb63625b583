using System;
using System.IO;
using System.Linq;
using System.Reflection;
using ArchDsl.Runtime;
using ArchDsl.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace ArchDsl.Tests.Models;

/// <summary>
/// The language as a user meets it: the ArchDsl package from a local feed in a fresh console project outside the
/// repository (<see cref="PackagedConsumer"/>), with one file of its own, <c>ResNet18.arch.yaml</c>
/// (Tests/Data/user-project), and a Program.cs that runs a forward pass. Its build generates the model; the program runs
/// on the native shim the package carries; the built assembly is also loaded here and checked against torchvision 0.14.
/// </summary>
public sealed class UserProjectTests : IClassFixture<PackagedConsumer>
{
    private static readonly string UserFile = Path.Combine(Repository.TestData, "user-project", "ResNet18.arch.yaml");
    private readonly PackagedConsumer _consumer;
    private readonly ITestOutputHelper _output;

    // what the user's program prints: the variant's runtime parameter count and the logits' shape
    private const string Program = """
        using ArchDsl.Runtime;
        using MyNets;

        using var model = new MyResNet.Small();
        model.eval();
        using var scope = torch.NewDisposeScope();
        var logits = model.call(torch.randn([2, 3, 64, 64]));
        Console.WriteLine($"{MyResNet.Small.FullName}: {model.ParameterCount()} parameters, logits [{string.Join(", ", logits.shape)}]");
        """;

    public UserProjectTests(PackagedConsumer consumer, ITestOutputHelper output)
    {
        _consumer = consumer;
        _output = output;
        _consumer.Write("Program.cs", Program);
        _consumer.Write("ResNet18.arch.yaml", File.ReadAllText(UserFile));
    }

    [Fact]
    public void The_package_builds_a_users_yaml_into_a_model_their_program_runs()
    {
        var (exitCode, log, _) = _consumer.Build("build");
        Assert.True(exitCode == 0, log);
        // the Small variant is torchvision's ResNet(BasicBlock, [1, 1, 1, 1], num_classes=10) (the golden case resnet_basic_a):
        // 9,408 + 128 (conv1, bn1) + 73,984 + 230,144 + 919,040 + 3,673,088 (layer1-4) + 5,130 (fc) = 4,910,922
        Assert.Contains("MyResNet.Small: 4910922 parameters, logits [2, 10]", _consumer.RunProgram());

        var assembly = Assembly.LoadFrom(_consumer.BuiltAssembly);
        var family = Assert.Single(ArchFamilyInfo.InAssembly(assembly));
        using (var r18 = family.Create("R18"))
        {
            Assert.Equal(11_689_512, r18.ParameterCount());   // torchvision 0.14 resnet18, num_params
            Assert.Equal(KeyLists.Read("torchvision/resnet18"), KeyLists.Of(r18));
        }
        using var small = family.Create("Small");
        double difference = TorchvisionTests.DifferenceFromGolden(small, "resnet_basic_a");
        _output.WriteLine($"max |output − torchvision| = {difference:E2}");
        Assert.True(difference <= 1e-4, $"max abs difference {difference}");
        Report();
    }

    [Fact]
    public void The_package_is_laid_out_as_dotnet_expects()
    {
        string package = Path.Combine(_consumer.Feed, $"ArchDsl.{_consumer.Version}.nupkg");
        using var zip = System.IO.Compression.ZipFile.OpenRead(package);
        var entries = zip.Entries.Select(e => e.FullName).ToHashSet();
        foreach (var expected in new[]
        {
            "lib/net10.0/ArchDsl.Runtime.dll", "analyzers/dotnet/cs/ArchDsl.Generator.dll", "analyzers/dotnet/cs/ArchDsl.Dsl.dll",
            "analyzers/dotnet/cs/YamlDotNet.dll", "buildTransitive/ArchDsl.props", "runtimes/linux-x64/native/libarchdsl_native.so",
            "schema/archdsl.schema.json",
        })
            Assert.Contains(expected, entries);
        using var shipped = new StreamReader(zip.GetEntry("schema/archdsl.schema.json")!.Open());
        Assert.Equal(File.ReadAllText(Path.Combine(Repository.Root, "schema", "archdsl.schema.json")), shipped.ReadToEnd());
    }

    [Fact]
    public void A_mistake_in_the_users_file_fails_their_build_at_its_line()
    {
        string text = File.ReadAllText(UserFile);
        Assert.Contains("planes: 128,", text);
        _consumer.Write("ResNet18.arch.yaml", text.Replace("planes: 128,", "planez: 128,"));
        var (exitCode, log, _) = _consumer.Build("build with a mistake");
        Assert.NotEqual(0, exitCode);
        var lines = text.Split('\n');
        int line = Array.FindIndex(lines, l => l.Contains("planes: 128,"));
        int column = lines[line].IndexOf("planes: 128,", StringComparison.Ordinal);
        Assert.Contains($"ResNet18.arch.yaml({line + 1},{column + 1}): error ADSL002: unknown parameter 'planez' for basic_block; did you mean 'planes'?", log);
        Report();
    }

    /// <summary>Edit → build in the user's project, with the compiler server on as on a user's machine: the edit (the
    /// Small variant's classes) reaches the program. The times are reported, not asserted (a loaded machine varies).</summary>
    [Fact]
    public void An_edit_to_the_users_file_reaches_their_program_on_the_next_build()
    {
        string text = File.ReadAllText(UserFile);
        var (exitCode, log, _) = _consumer.Build("build");
        Assert.True(exitCode == 0, log);
        // dotnet build restores first (what a user types); --no-restore is the build alone
        foreach (var (classes, restore) in new[] { (12, true), (14, false) })
        {
            _consumer.Write("ResNet18.arch.yaml", text.Replace("    classes: 10\n", $"    classes: {classes}\n"));
            (exitCode, log, _) = restore
                ? _consumer.Build($"edit → dotnet build (classes: {classes})")
                : _consumer.Run($"edit → dotnet build --no-restore (classes: {classes})", "build", "--no-restore", "-nologo", "-v", "quiet");
            Assert.True(exitCode == 0, log);
            Assert.Contains($"logits [2, {classes}]", _consumer.RunProgram());
        }
        Report();
    }

    /// <summary>The user's machine without libtorch: the packaged shim is swapped, in the built program's output, for one
    /// made here with gcc that needs a libtorch library no machine has (this one has libtorch installed), so the loader
    /// fails as it would on a machine without libtorch.</summary>
    [Fact]
    public void Without_libtorch_the_first_call_says_what_to_install()
    {
        var (exitCode, log, _) = _consumer.Build("build");
        Assert.True(exitCode == 0, log);
        string shim = Path.Combine(Path.GetDirectoryName(_consumer.BuiltAssembly)!, "runtimes", "linux-x64", "native", "libarchdsl_native.so");
        Assert.True(File.Exists(shim), $"the package's native shim is not in the user's output: {shim}");
        string work = Path.Combine(_consumer.Project, "obj", "no-libtorch");
        Directory.CreateDirectory(work);
        File.WriteAllText(Path.Combine(work, "torch.c"), "int torch_stub(void) { return 1; }\n");
        File.WriteAllText(Path.Combine(work, "shim.c"), "int torch_stub(void);\nint archdsl_set_num_threads(int n) { return torch_stub() - n; }\n");
        Gcc(work, "-shared", "-fPIC", "-o", "libtorch_absent.so", "torch.c", "-Wl,-soname,libtorch_absent.so.1.13");
        Gcc(work, "-shared", "-fPIC", "-o", "libarchdsl_native.so", "shim.c", "-L.", "-ltorch_absent");
        File.Delete(Path.Combine(work, "libtorch_absent.so"));
        File.Move(shim, shim + ".packaged");
        try
        {
            File.Copy(Path.Combine(work, "libarchdsl_native.so"), shim);
            var (code, output, _) = _consumer.Run("run without libtorch", _consumer.BuiltAssembly);
            Assert.NotEqual(0, code);
            Assert.Contains("libtorch 1.13, which ArchDsl's native shim runs on, is not installed: on Debian 12 or Ubuntu run `sudo apt-get install libtorch-dev`", output);
            Assert.Contains("libtorch_absent.so.1.13: cannot open shared object file", output);
        }
        finally
        {
            File.Delete(shim);
            File.Move(shim + ".packaged", shim);
        }
    }

    private static void Gcc(string directory, params string[] args)
    {
        var start = new System.Diagnostics.ProcessStartInfo("gcc") { WorkingDirectory = directory, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = System.Diagnostics.Process.Start(start)!;
        string error = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(60_000) && process.ExitCode == 0, $"gcc {string.Join(" ", args)}: {error}");
    }

    private void Report()
    {
        foreach (var (step, elapsed) in _consumer.Timings)
            _output.WriteLine($"{step}: {elapsed.TotalSeconds:0.0} s");
        _consumer.Timings.Clear();
    }
}
