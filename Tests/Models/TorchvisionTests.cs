using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using ArchDsl.Architectures;
using ArchDsl.Runtime;
using ArchDsl.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace ArchDsl.Tests.Models;

/// <summary>
/// torchvision's ResNet, MobileNetV2, VisionTransformer and ConvNeXt, written in YAML alone (Architectures/*.arch.yaml),
/// against torchvision 0.14 itself: exact parameter counts, state_dict keys in order, and outputs on the golden cases
/// of Tests/Data/golden/torchvision (torchvision run on portable pseudo-random weights; scripts/golden/torchvision_classics.py).
/// </summary>
public class TorchvisionTests
{
    private static readonly string GoldenDir = Path.Combine(Repository.Golden, "torchvision");
    private readonly ITestOutputHelper _output;

    public TorchvisionTests(ITestOutputHelper output) => _output = output;

    private static ArchModule Create(string family, string variant) => Zoo.Families.Single(f => f.Name == family).Create(variant);

    /// <summary>torchvision's model name for each zoo variant; the counts are meta.json's (torchvision 0.14).</summary>
    public static IEnumerable<object[]> Counted() => new (string, string, string)[]
    {
        ("ResNet", "R18", "resnet18"), ("ResNet", "R34", "resnet34"), ("ResNet", "R50", "resnet50"), ("ResNet", "R101", "resnet101"),
        ("ResNet", "R152", "resnet152"), ("ResNet", "ResNeXt50_32x4d", "resnext50_32x4d"), ("ResNet", "ResNeXt101_32x8d", "resnext101_32x8d"),
        ("ResNet", "WideResNet50_2", "wide_resnet50_2"), ("ResNet", "WideResNet101_2", "wide_resnet101_2"),
        ("MobileNetV2", "W100", "mobilenet_v2"),
        ("VisionTransformer", "B_16", "vit_b_16"), ("VisionTransformer", "B_32", "vit_b_32"),
        ("VisionTransformer", "L_16", "vit_l_16"), ("VisionTransformer", "L_32", "vit_l_32"),
        ("ConvNeXt", "T", "convnext_tiny"), ("ConvNeXt", "S", "convnext_small"), ("ConvNeXt", "B", "convnext_base"), ("ConvNeXt", "L", "convnext_large"),
    }.Select(x => new object[] { x.Item1, x.Item2, x.Item3 });

    [Theory]
    [MemberData(nameof(Counted))]
    public void Analytic_parameters_equal_torchvisions_count(string family, string variant, string torchvision)
    {
        using var meta = JsonDocument.Parse(File.ReadAllText(Path.Combine(GoldenDir, "meta.json")));
        long official = meta.RootElement.GetProperty("counts").GetProperty(torchvision).GetInt64();
        Assert.Equal(official, Zoo.Families.Single(f => f.Name == family).Analysis.Variant(variant).Parameters);
    }

    /// <summary>The random configurations of the golden script (meta.json "configurations"), each torchvision's
    /// constructor arguments and the family's variables that say the same.</summary>
    public static IEnumerable<object[]> Configurations()
    {
        using var meta = JsonDocument.Parse(File.ReadAllText(Path.Combine(GoldenDir, "meta.json")));
        return meta.RootElement.GetProperty("configurations").EnumerateArray()
            .Select((c, i) => new object[] { i, c.GetProperty("constructor").GetString()! }).ToList();
    }

    /// <summary>Any configuration torchvision accepts, not only the variants listed: the family file with the
    /// configuration added as a variant counts torchvision's parameters.</summary>
    [Theory]
    [MemberData(nameof(Configurations))]
    public void A_random_configuration_counts_torchvisions_parameters(int index, string constructor)
    {
        using var meta = JsonDocument.Parse(File.ReadAllText(Path.Combine(GoldenDir, "meta.json")));
        var configuration = meta.RootElement.GetProperty("configurations")[index];
        string family = configuration.GetProperty("family").GetString()!;
        // a JSON object is a YAML flow mapping
        string variant = $"  Random{index}: {configuration.GetProperty("vars").GetRawText()}\n";
        string text = File.ReadAllText(Repository.ArchitectureFile(family));
        int at = text.IndexOf("\nvariants:\n", System.StringComparison.Ordinal) + "\nvariants:\n".Length;
        var analysis = ArchDsl.Dsl.Analysis.FamilyAnalysis.Run(text.Insert(at, variant));
        Assert.Empty(analysis.Diagnostics.Where(d => d.Severity == ArchDsl.Dsl.Diagnostics.Severity.Error).Select(d => d.Message));
        _output.WriteLine(constructor);
        Assert.Equal(configuration.GetProperty("params").GetInt64(), analysis.Variant($"Random{index}").Parameters);
    }

    /// <summary>The full-size models and the golden configurations: every key, dtype and shape, in torchvision's order.</summary>
    [Theory]
    [InlineData("ResNet", "R18", "resnet18")]
    [InlineData("ResNet", "R50", "resnet50")]
    [InlineData("MobileNetV2", "W100", "mobilenet_v2")]
    [InlineData("VisionTransformer", "B_16", "vit_b_16")]
    [InlineData("ConvNeXt", "T", "convnext_tiny")]
    [InlineData("ResNet", "BasicA", "resnet_basic_a")]
    [InlineData("ResNet", "BottleneckA", "resnet_bottleneck_a")]
    [InlineData("MobileNetV2", "A", "mobilenet_v2_a")]
    [InlineData("VisionTransformer", "A", "vit_a")]
    [InlineData("ConvNeXt", "A", "convnext_a")]
    public void State_dict_equals_torchvisions_keys_dtypes_and_shapes_in_order(string family, string variant, string torchvision)
    {
        using var model = Create(family, variant);
        Assert.Equal(KeyLists.Read("torchvision/" + torchvision), KeyLists.Of(model));
    }

    /// <summary>torchvision's outputs, 1e-4 at most apart; and a change of one weight by 1% moves the outputs by more,
    /// so the comparison can fail.</summary>
    [Theory]
    [InlineData("ResNet", "BasicA", "resnet_basic_a", "layer3.0.conv2.weight")]
    [InlineData("ResNet", "BottleneckA", "resnet_bottleneck_a", "layer2.1.conv2.weight")]
    [InlineData("MobileNetV2", "A", "mobilenet_v2_a", "features.17.conv.2.weight")]
    [InlineData("VisionTransformer", "A", "vit_a", "encoder.layers.encoder_layer_1.self_attention.in_proj_weight")]
    [InlineData("ConvNeXt", "A", "convnext_a", "features.5.1.block.3.weight")]
    public void Outputs_equal_torchvisions_within_1e_4(string family, string variant, string golden, string perturbed)
    {
        using var model = Create(family, variant);
        double difference = DifferenceFromGolden(model, golden);
        _output.WriteLine($"{golden}: max |output − torchvision| = {difference:E2}");
        Assert.True(difference <= 1e-4, $"max abs difference {difference}");

        var weight = model.state_dict()[perturbed];
        using (torch.no_grad()) weight.copy_(weight * 1.01);   // a write into a parameter
        double moved = DifferenceFromGolden(model, golden, fill: false);
        _output.WriteLine($"{golden}: with {perturbed} × 1.01, max |output − torchvision| = {moved:E2}");
        Assert.True(moved > 1e-4, $"changing {perturbed} moved the outputs by only {moved}");
    }

    /// <summary>The largest difference between the model's outputs on a golden case's input and torchvision's, with the
    /// portable weights of the golden files filled in first (unless <paramref name="fill"/> is false).</summary>
    internal static double DifferenceFromGolden(ArchModule model, string golden, bool fill = true)
    {
        if (fill) PortableWeights.Fill(model);
        model.eval();
        var io = Safetensors.Load(Path.Combine(GoldenDir, golden + ".io.safetensors"));
        try
        {
            using var scope = torch.NewDisposeScope();
            using var guard = torch.no_grad();
            var output = model.call(io["input"]);
            Assert.Equal(io["output"].shape, output.shape);
            return torch.max_abs_diff(output, io["output"]);
        }
        finally
        {
            foreach (var t in io.Values) t.Dispose();
        }
    }
}
