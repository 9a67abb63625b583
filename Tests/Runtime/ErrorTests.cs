using System;
using ArchDsl.Runtime;
using Xunit;

namespace ArchDsl.Tests.Runtime;

/// <summary>Failures inside libtorch surface as exceptions carrying libtorch's own message (the expected
/// texts are PyTorch 1.13's), and the process keeps working afterwards.</summary>
public sealed class ErrorTests
{
    [Fact]
    public void Incompatible_matmul_raises_libtorch_message()
    {
        using var scope = torch.NewDisposeScope();
        var e = Assert.Throws<TorchException>(() => torch.matmul(torch.ones([2, 3]), torch.ones([4, 5])));
        Assert.Contains("mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)", e.Message);
        Assert.Equal(1, e.Status);
        Assert.Equal(new[] { 3f, 3f }, torch.matmul(torch.ones([1, 3]), torch.ones([3, 2])).data<float>()); // still alive
    }

    [Fact]
    public void Incompatible_conv_raises_libtorch_message()
    {
        using var scope = torch.NewDisposeScope();
        var e = Assert.Throws<TorchException>(() => F.conv2d(torch.ones([1, 4, 8, 8]), torch.ones([8, 3, 3, 3])));
        Assert.Contains("expected input[1, 4, 8, 8] to have 3 channels, but got 4 channels instead", e.Message);
    }

    [Fact]
    public void Other_libtorch_errors_are_reported_not_fatal()
    {
        using var scope = torch.NewDisposeScope();
        Assert.Contains("shape '[4]' is invalid for input of size 6", Assert.Throws<TorchException>(() => torch.ones([2, 3]).view(4)).Message);
        Assert.Contains("Sizes of tensors must match", Assert.Throws<TorchException>(() => torch.cat([torch.ones([2, 3]), torch.ones([2, 4])])).Message);
        Assert.Throws<TorchException>(() => torch.bmm(torch.ones([2, 3, 4]), torch.ones([3, 4, 5])));
        Assert.Throws<TorchException>(() => torch.ones([2]).transpose(0, 5));
        Assert.Throws<TorchException>(() => torch.ones([2]).mean().to(ScalarType.Int64).mean()); // mean of an integer tensor
    }

    [Fact]
    public void Arguments_the_shim_rejects_come_back_as_exceptions()
    {
        using var scope = torch.NewDisposeScope();
        var e = Assert.Throws<TorchException>(() => torch.zeros([2], (ScalarType)99));
        Assert.Equal(4, e.Status);
        Assert.Contains("unsupported dtype", e.Message);
        Assert.Contains("data has 4 bytes", Assert.Throws<TorchException>(() => torch.from_bytes(new byte[4], ScalarType.Float32, [2])).Message);
        Assert.Throws<TorchException>(() => torch.tensor([1f, 2f], [3]));
    }

    [Fact]
    public void Using_a_disposed_tensor_throws_ObjectDisposedException()
    {
        var t = torch.ones([2]);
        var other = torch.ones([2]);
        t.Dispose();
        t.Dispose(); // harmless
        Assert.True(t.IsDisposed);
        Assert.Throws<ObjectDisposedException>(() => t.shape);
        Assert.Throws<ObjectDisposedException>(() => t.data<float>());
        Assert.Throws<ObjectDisposedException>(() => t + other);
        Assert.Throws<ObjectDisposedException>(() => other + t);
        Assert.Throws<ObjectDisposedException>(() => torch.cat([other, t]));
        Assert.Throws<ObjectDisposedException>(() => F.conv2d(other, t));
        Assert.Equal("Tensor(disposed)", t.ToString());
        other.Dispose();
    }

    [Fact]
    public void Modules_check_input_shapes_before_native_calls()
    {
        using var conv = new Conv2d(3, 8, 3, name: "stem.conv");
        using var scope = torch.NewDisposeScope();
        var e = Assert.Throws<ShapeMismatchException>(() => conv.call(torch.ones([1, 4, 8, 8])));
        Assert.Equal("stem.conv", e.Module);
        Assert.Contains("stem.conv", e.Message);
        Assert.Contains("[N, 3, H, W]", e.Message);
        Assert.Contains("[1, 4, 8, 8]", e.Message);
        using var linear = new Linear(16, 4, name: "head");
        Assert.Contains("[..., 16]", Assert.Throws<ShapeMismatchException>(() => linear.call(torch.ones([2, 15]))).Message);
        using var norm = new LayerNorm(8);
        Assert.Throws<ShapeMismatchException>(() => norm.call(torch.ones([2, 7])));
    }
}
