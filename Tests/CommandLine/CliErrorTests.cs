using System.IO;
using System.Linq;
using ArchDsl.Tests.Support;
using Xunit;

namespace ArchDsl.Tests.CommandLine;

/// <summary>archdsl check and summary on bad input (issue 11): one message that says where, exit code 1, never a stack
/// trace.</summary>
public class CliErrorTests
{
    private static void AssertNoStackTrace(string[] lines, string error)
    {
        Assert.DoesNotContain(lines.Concat(error.Split('\n')), l => l.TrimStart().StartsWith("at ") || l.Contains("Exception:"));
    }

    private static string TempFile(string name, string text)
    {
        string folder = Path.Combine(Path.GetTempPath(), "archdsl-cli-" + System.Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Check_without_files_is_an_error()
    {
        var (exitCode, lines, error) = Cli.Run("check");
        Assert.Equal(1, exitCode);
        Assert.Contains("no files given", error);
        AssertNoStackTrace(lines, error);
    }

    [Fact]
    public void Check_of_a_missing_file_is_one_located_line()
    {
        string missing = Path.Combine(Path.GetTempPath(), "no-such-folder-archdsl", "Missing.arch.yaml");
        var (exitCode, lines, error) = Cli.Run("check", missing);
        Assert.Equal(1, exitCode);
        Assert.Equal($"{missing}(1,1): error: the file does not exist", Assert.Single(lines, l => l.Length > 0));
        AssertNoStackTrace(lines, error);
    }

    [Theory]
    // an unclosed { followed by more rows: YamlDotNet's scanner throws InvalidOperationException here
    [InlineData("family: Tiny\ntitle: t\ninput: { channels: 3, size: 32\nstages:\n  s1:\n    - { kind: relu }\n", "(3,8): error ADSL001")]
    [InlineData("---", "(1,4): error ADSL003")]
    [InlineData("family: Tiny\ntitle: t\ninput: { channels: 3,", "(3,8): error ADSL001")]
    public void Check_of_bad_yaml_is_a_located_diagnostic_and_exit_code_1(string text, string expected)
    {
        string file = TempFile("Bad.arch.yaml", text);
        var (exitCode, lines, error) = Cli.Run("check", file);
        Assert.Equal(1, exitCode);
        Assert.Contains(lines, l => l.StartsWith(file + expected));
        AssertNoStackTrace(lines, error);
    }

    [Theory]
    [InlineData("casvit.xz", "no model 'casvit.xz'; did you mean CasViT.XS")]
    [InlineData("NoSuchFamily.XS", "no model 'NoSuchFamily.XS'")]
    [InlineData("CasViT.XS --size 100000", "--size 100000 is outside [1, 16384]")]
    public void Summary_of_an_unknown_model_is_one_line_and_exit_code_1(string model, string expected)
    {
        var (exitCode, lines, error) = Cli.Run(new[] { "summary" }.Concat(model.Split(' ')).ToArray());
        Assert.Equal(1, exitCode);
        var message = Assert.Single(error.Split('\n'), l => l.Trim().Length > 0);
        Assert.Contains(expected, message);
        AssertNoStackTrace(lines, error);
    }
}
