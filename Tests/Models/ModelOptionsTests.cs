using System;
using System.IO;
using System.Linq;
using ArchDsl.Runtime;
using ArchDsl.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace ArchDsl.Tests.Models;

/// <summary>
/// Models created with options (variable values replacing the file's), by name, and loaded for fine-tuning, on the
/// golden CAS-ViT case TinyA (Tests/Data/golden/README.md: RCViT(layers=[1,1,2,1], embed_dims=[16,24,32,40],
/// num_classes=10), 101,652 parameters with the distillation head, the official default).
/// </summary>
public sealed class ModelOptionsTests
{
    private const long TinyAParameters = 101_652;            // Tests/Data/golden/README.md, counted by the official code
    private const long TinyAHeadParameters = 40 * 10 + 10;   // one Linear(40, 10): head and dist_head alike
    private static readonly string GoldenWeights = Path.Combine(Repository.Golden, "casvit_tiny_a.weights.safetensors");
    private static readonly Type AnyZooType = typeof(ArchDsl.Architectures.CasViT);
    private readonly ITestOutputHelper _output;

    public ModelOptionsTests(ITestOutputHelper output) => _output = output;

    private static ArchModule TinyA(ModelOptions? options = null) =>
        global::ArchDsl.Models.Create("CasViT.TinyA", options, AnyZooType.Assembly);

    [Fact]
    public void Options_recompute_the_counts_and_shapes_and_change_the_structure()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var wide = TinyA(new ModelOptions { ["classes"] = 1000 });
        _output.WriteLine($"first creation with options (analysis, emission, compilation): {clock.Elapsed.TotalSeconds:0.0} s");
        // two Linear(40, classes) heads: 990 more outputs of 41 parameters each, twice
        long expected = TinyAParameters + 2 * 990 * 41;
        Assert.Equal(expected, wide.Analysis.Parameters);
        Assert.Equal(expected, wide.ParameterCount());
        using (var scope = torch.NewDisposeScope())
            Assert.Equal(new long[] { 2, 1000 }, wide.call(torch.randn([2, 3, 64, 64], seed: 1)).shape);

        using var plain = TinyA(new ModelOptions { ["distillation"] = false });
        Assert.Equal(TinyAParameters - TinyAHeadParameters, plain.ParameterCount());
        Assert.DoesNotContain(plain.state_dict().Keys, k => k.StartsWith("dist_head", StringComparison.Ordinal));
        Assert.Equal(TinyAParameters - TinyAHeadParameters, plain.Analysis.Parameters);
    }

    /// <summary>The code compiled for options is the generator's: with the file's own values it reproduces the official
    /// outputs as the class compiled with the tests does.</summary>
    [Fact]
    public void A_model_created_with_options_reproduces_the_official_outputs()
    {
        using var model = TinyA(new ModelOptions { ["classes"] = 10, ["distillation"] = true });
        Assert.NotEqual(typeof(ArchDsl.Architectures.CasViT.TinyA), model.GetType());
        model.load_safetensors(GoldenWeights);
        model.eval();
        var io = Safetensors.Load(Path.Combine(Repository.Golden, "casvit_tiny_a.io.safetensors"));
        using var scope = torch.NewDisposeScope();
        using var guard = torch.no_grad();
        double difference = torch.max_abs_diff(model.call(io["input"]), io["output"]);
        _output.WriteLine($"max |output − official| = {difference:E2}");
        Assert.True(difference <= 1e-4, $"max abs difference {difference}");
        foreach (var t in io.Values) t.Dispose();
    }

    [Fact]
    public void Fine_tuning_loads_the_backbone_of_a_1000_class_checkpoint_and_skips_the_head()
    {
        string checkpoint = Path.Combine(Path.GetTempPath(), $"archdsl-1000-classes-{Guid.NewGuid():N}.safetensors");
        try
        {
            using var pretrained = TinyA(new ModelOptions { ["classes"] = 1000 });
            pretrained.load_safetensors_for_fine_tuning(GoldenWeights);
            pretrained.save_safetensors(checkpoint);

            using var model = new ArchDsl.Architectures.CasViT.TinyA();   // 10 classes
            Assert.Throws<StateDictException>(() => model.load_safetensors(checkpoint, strict: false));
            var load = model.load_safetensors_for_fine_tuning(checkpoint);
            _output.WriteLine(load.ToString());

            Assert.Equal(new[]
            {
                new StateDictMismatch("head.weight", "[10, 40]", "[1000, 40]"),
                new StateDictMismatch("head.bias", "[10]", "[1000]"),
                new StateDictMismatch("dist_head.weight", "[10, 40]", "[1000, 40]"),
                new StateDictMismatch("dist_head.bias", "[10]", "[1000]"),
            }, load.Skipped);
            Assert.Empty(load.Missing);
            Assert.Empty(load.Unexpected);
            Assert.Equal(model.state_dict().Count - 4, load.Loaded.Count);

            // the backbone is the checkpoint's: the same features on the same input (as written: the inference plan each
            // model measures for itself may differ between the two, within float rounding)
            pretrained.eval(InferenceOptimizations.None);
            model.eval(InferenceOptimizations.None);
            using var scope = torch.NewDisposeScope();
            var input = torch.randn([2, 3, 64, 64], seed: 3);
            var expected = pretrained.ForwardFeatures(input);
            var actual = model.ForwardFeatures(input);
            Assert.All(expected.Zip(actual), pair => Assert.Equal(0, torch.max_abs_diff(pair.First, pair.Second)));
        }
        finally
        {
            File.Delete(checkpoint);
        }
    }

    [Fact]
    public void Fine_tuning_still_rejects_a_backbone_of_another_shape()
    {
        using var xs = new ArchDsl.Architectures.CasViT.XS();
        var error = Assert.Throws<StateDictException>(() => xs.load_safetensors_for_fine_tuning(GoldenWeights));
        Assert.Contains(error.ShapeMismatches, m => m.Key == "patch_embed.0.weight");
    }

    [Fact]
    public void Models_are_found_by_name_without_regard_to_case_and_mistakes_get_the_nearest_names()
    {
        using (var model = global::ArchDsl.Models.Create("casvit.tinya", null, AnyZooType.Assembly))
            Assert.IsType<ArchDsl.Architectures.CasViT.TinyA>(model);
        Assert.Contains("CasViT.XS", global::ArchDsl.Models.Names(AnyZooType.Assembly));

        var unknown = Assert.Throws<ArgumentException>(() => global::ArchDsl.Models.Create("CasViT.XZ", null, AnyZooType.Assembly));
        Assert.StartsWith("no model 'CasViT.XZ'; did you mean CasViT.XS", unknown.Message);

        var misspelt = Assert.Throws<ArgumentException>(() => TinyA(new ModelOptions { ["clases"] = 10 }));
        Assert.Equal("CasViT.TinyA has no variable 'clases'; did you mean 'classes'?", misspelt.Message);
    }
}
