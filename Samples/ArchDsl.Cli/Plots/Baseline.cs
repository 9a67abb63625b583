using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using YamlDotNet.RepresentationModel;

namespace ArchDsl.Cli.Plots;

/// <summary>A model a paper of the zoo compares against, with the numbers that paper printed (baselines.yaml).</summary>
internal sealed record Baseline(string Name, double ParamsM, double MacsG, double Top1, int Size, string Source)
{
    /// <summary>Every row of the embedded baselines.yaml, table by table, in file order.</summary>
    public static IReadOnlyList<Baseline> All { get; } = Load();

    private static IReadOnlyList<Baseline> Load()
    {
        using var stream = typeof(Baseline).Assembly.GetManifestResourceStream("baselines.yaml")!;
        var yaml = new YamlStream();
        yaml.Load(new StreamReader(stream));
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        var rows = new List<Baseline>();
        foreach (YamlMappingNode table in (YamlSequenceNode)root["tables"])
        {
            string source = ((YamlScalarNode)table["source"]).Value!;
            foreach (YamlSequenceNode row in (YamlSequenceNode)table["rows"])
            {
                var cells = row.Children.Select(c => ((YamlScalarNode)c).Value!).ToArray();
                double Number(int i) => double.Parse(cells[i], CultureInfo.InvariantCulture);
                rows.Add(new Baseline(cells[0], Number(1), Number(2), Number(3), (int)Number(4), source));
            }
        }
        return rows;
    }
}
