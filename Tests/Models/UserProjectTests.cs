using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using ArchDsl.Runtime;
using ArchDsl.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace ArchDsl.Tests.Models;

/// <summary>
/// The language as a user meets it: a fresh project outside the repository with one file of its own,
/// <c>ResNet18.arch.yaml</c> (Tests/Data/user-project), and no C#, referencing the runtime and importing the generator's
/// props. Its build generates the model; the built assembly is loaded here and checked against torchvision 0.14.
/// </summary>
public sealed class UserProjectTests : IDisposable
{
    private static readonly string UserFile = Path.Combine(Repository.TestData, "user-project", "ResNet18.arch.yaml");
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "archdsl-user-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly ITestOutputHelper _output;

    public UserProjectTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void ResNet18_written_in_yaml_alone_has_torchvisions_keys_count_and_outputs()
    {
        var (exitCode, log) = Build(File.ReadAllText(UserFile));
        Assert.True(exitCode == 0, log);

        var assembly = Assembly.LoadFrom(Path.Combine(_dir, "bin", Configuration, "net10.0", "MyNets.dll"));
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
    }

    [Fact]
    public void A_mistake_in_the_users_file_fails_their_build_at_its_line()
    {
        string text = File.ReadAllText(UserFile);
        Assert.Contains("planes: 128,", text);
        var (exitCode, log) = Build(text.Replace("planes: 128,", "planez: 128,"));
        Assert.NotEqual(0, exitCode);
        var lines = text.Split('\n');
        int line = Array.FindIndex(lines, l => l.Contains("planes: 128,"));
        int column = lines[line].IndexOf("planes: 128,", StringComparison.Ordinal);
        Assert.Contains($"ResNet18.arch.yaml({line + 1},{column + 1}): error ADSL002: unknown parameter 'planez' for basic_block; did you mean 'planes'?", log);
    }

    /// <summary>Writes the project with <paramref name="family"/> as its only source and builds it.</summary>
    private (int ExitCode, string Log) Build(string family)
    {
        Directory.CreateDirectory(_dir);
        File.WriteAllText(Path.Combine(_dir, "ResNet18.arch.yaml"), family);
        File.WriteAllText(Path.Combine(_dir, "MyNets.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <RootNamespace>MyNets</RootNamespace>
              </PropertyGroup>
              <ItemGroup>
                <AdditionalFiles Include="*.arch.yaml" />
                <ProjectReference Include="{Path.Combine(Repository.Root, "Runtime", "ArchDsl.Runtime.csproj")}" />
              </ItemGroup>
              <Import Project="{Path.Combine(Repository.Root, "Generator", "ArchDsl.Generator.props")}" />
            </Project>
            """);
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = _dir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "build", "-c", Configuration, "-nologo", "-v", "quiet" }) start.ArgumentList.Add(arg);
        // the test host's MSBuild settings are not the user's
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(key);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(300_000), "the user's build did not finish in 5 minutes");
        return (process.ExitCode, output + error.Result);
    }

    /// <summary>The configuration the tests were built in (the referenced projects are then up to date).</summary>
    private static string Configuration => new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }
}
