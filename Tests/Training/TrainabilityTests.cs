using System;
using System.Collections.Generic;
using System.Linq;
using ArchDsl.Runtime;
using ArchDsl.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace ArchDsl.Tests.Training;

/// <summary>Every family trains: a train-mode forward and backward of its smallest variant gives every parameter a
/// finite gradient (this covers every primitive in the zoo and the C# kinds lightvit_attention,
/// matching_separable_attention, cross_feature_attention, mat_attention and partial_attention).</summary>
[Collection(nameof(ProcessStateCollection))]  // reseeds libtorch's default generator before building each model
public class TrainabilityTests
{
    private readonly ITestOutputHelper _output;

    public TrainabilityTests(ITestOutputHelper output) => _output = output;

    public static IEnumerable<object[]> Families() => Zoo.Families.Select(f => new object[] { f.Name });

    // PartialFormer's last stage runs its ChannelMLP only with more tokens than N_F = 64 (Architectures/PartialFormer.arch.yaml):
    // 7×7 at the declared 224 has none of its parameters take part, 9×9 at 288 has all of them
    private static readonly Dictionary<string, int> InputSize = new() { ["PartialFormer"] = 288 };

    [Theory]
    [MemberData(nameof(Families))]
    public void Backward_reaches_every_parameter_with_a_finite_gradient(string familyName)
    {
        var family = Zoo.Families.Single(f => f.Name == familyName);
        var variant = family.Variants.MinBy(v => family.Analysis.Variant(v).Parameters)!;
        var spec = family.Analysis.Variant(variant);
        var trace = InputSize.TryGetValue(familyName, out int size) ? spec.At(size, size) : spec.Trace;
        torch.manual_seed(0);
        using var model = family.Create(variant);
        model.train();
        using var scope = torch.NewDisposeScope();
        // batch 2: BatchNorm in training needs more than one value per channel at 1×1 maps
        var input = torch.randn([2, trace.Variant.InChannels, trace.Height, trace.Width], seed: 1);
        var output = model.call(input);
        var labels = torch.tensor([0L, 1L]);
        F.cross_entropy(output.flatten(1), labels).backward();

        var missing = new List<string>();
        var infinite = new List<string>();
        int count = 0;
        foreach (var (name, parameter) in model.named_parameters())
        {
            count++;
            var grad = parameter.grad;
            if (grad is null) missing.Add(name);
            else if (!float.IsFinite(grad.abs().sum().item<float>())) infinite.Add(name);   // NaN and ∞ reach the sum
        }
        _output.WriteLine($"{family.Name}.{variant} at {trace.Height}×{trace.Width}: {count} parameters, {missing.Count} without gradient");
        Assert.True(missing.Count == 0, "no gradient: " + string.Join(", ", missing));
        Assert.True(infinite.Count == 0, "non-finite gradient: " + string.Join(", ", infinite));
    }
}
