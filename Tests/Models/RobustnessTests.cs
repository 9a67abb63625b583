using System;
using System.IO;
using System.Linq;
using ArchDsl.Architectures;
using ArchDsl.Runtime;
using ArchDsl.Tests.Support;
using Xunit;

namespace ArchDsl.Tests.Models;

/// <summary>Bad input gets a clear managed error naming what is wrong, never a crash or a silent wrong result.</summary>
[Collection(nameof(ProcessStateCollection))]
public class RobustnessTests
{
    [Theory]
    [InlineData(new long[] { 3, 64, 64 }, "[B, 3, H, W]", "[3, 64, 64]")]
    [InlineData(new long[] { 1, 4, 64, 64 }, "[B, 3, H, W]", "[1, 4, 64, 64]")]
    [InlineData(new long[] { 1, 3, 16385, 1 }, "1 ≤ H, W ≤ 16384", "[1, 3, 16385, 1]")]
    public void A_wrong_input_shape_names_the_model_and_both_shapes(long[] shape, string expected, string actual)
    {
        using var model = new ArchDsl.Architectures.CasViT.TinyA();
        using var input = torch.zeros(shape);
        long before = Tensor.LiveCount;
        var e = Assert.Throws<ShapeMismatchException>(() => model.call(input));
        Assert.StartsWith("CasViT.TinyA", e.Module);
        Assert.Contains(expected, e.Expected);
        Assert.Contains(actual, e.Actual);
        Assert.Equal(before, Tensor.LiveCount); // thrown before any native op
    }

    [Fact]
    public void A_libtorch_error_becomes_a_managed_exception_with_libtorchs_message()
    {
        using var model = new ArchDsl.Architectures.CasViT.TinyA();
        using var input = torch.zeros([1, 3, 64, 64]).to(ScalarType.Int64); // the right shape, a dtype conv2d rejects
        var e = Assert.Throws<TorchException>(() => model.call(input));
        Assert.False(string.IsNullOrWhiteSpace(e.Message));
        Assert.Contains("long int", e.Message); // libtorch names the offending scalar type
        using var ok = torch.zeros([1, 3, 64, 64]);
        model.eval();
        using var logits = model.call(ok); // and the model still works afterwards
        Assert.Equal(new long[] { 1, 10 }, logits.shape);
    }

    [Fact]
    public void Weights_of_another_configuration_are_rejected_with_every_key_at_fault_and_nothing_loaded()
    {
        using var model = CasViT.Create("XS");
        var before = model.state_dict()["head.weight"].data<float>();
        var e = Assert.Throws<StateDictException>(() =>
            model.load_safetensors(Path.Combine(Repository.Golden, "casvit_tiny_a.weights.safetensors")));
        // the golden model has 1 block in stage 1 where XS has 2, and narrower layers everywhere
        Assert.Contains("network.0.1.norm1.weight", e.MissingKeys);
        Assert.Contains(e.ShapeMismatches, m => m.Key == "patch_embed.0.weight");
        Assert.Contains("patch_embed.0.weight", e.Message);
        Assert.Equal(before, model.state_dict()["head.weight"].data<float>());
    }

    [Fact]
    public void A_truncated_weights_file_is_a_format_error()
    {
        var path = Path.Combine(Path.GetTempPath(), $"archdsl-truncated-{Guid.NewGuid():N}.safetensors");
        var bytes = File.ReadAllBytes(Path.Combine(Repository.Golden, "casvit_tiny_a.weights.safetensors"));
        File.WriteAllBytes(path, bytes.Take(bytes.Length - 1000).ToArray());
        try
        {
            using var model = new ArchDsl.Architectures.CasViT.TinyA();
            var e = Assert.Throws<SafetensorsFormatException>(() => model.load_safetensors(path));
            Assert.Contains("dist_head", e.Message); // the last tensors in the file are the ones cut off
        }
        finally
        {
            File.Delete(path);
        }
    }
}
