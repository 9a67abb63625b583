using ArchDsl.Runtime;
using Xunit;

namespace ArchDsl.Tests.Runtime;

/// <summary>Shape ops added for generated modules.</summary>
public sealed class TensorShapeAdditionsTests
{
    [Fact]
    public void Expand_as_broadcasts_to_the_other_shape()
    {
        using var scope = torch.NewDisposeScope();
        var gate = torch.tensor([1f, 2f], [2, 1, 1]);
        var map = torch.zeros([2, 3, 4]);
        var expanded = gate.expand_as(map);
        Assert.Equal(new long[] { 2, 3, 4 }, expanded.shape);
        Assert.Equal(12f, expanded.select(0, 0).sum().item<float>());
        Assert.Equal(24f, expanded.select(0, 1).sum().item<float>());
        Assert.Throws<TorchException>(() => torch.ones([3]).expand_as(map));
    }
}
