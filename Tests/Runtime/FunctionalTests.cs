using System;
using System.Linq;
using ArchDsl.Runtime;
using Xunit;

namespace ArchDsl.Tests.Runtime;

/// <summary>torch.nn.functional ops on inputs small enough to compute by hand; the few values that are
/// not (activations, bilinear resampling, group norm) were printed by PyTorch 1.13 and are marked so.</summary>
public sealed class FunctionalTests
{
    private static Tensor Grid3x3() => torch.arange(1.0, 10.0).reshape(1, 1, 3, 3); // 1..9 row-major

    [Fact]
    public void Conv2d_sums_windows_and_adds_bias()
    {
        using var scope = torch.NewDisposeScope();
        var w = torch.ones([1, 1, 2, 2]);
        // 2x2 windows of 1..9: 1+2+4+5, 2+3+5+6, 4+5+7+8, 5+6+8+9
        Assertions.Close([12, 16, 24, 28], F.conv2d(Grid3x3(), w), [1, 1, 2, 2]);
        Assertions.Close([13, 17, 25, 29], F.conv2d(Grid3x3(), w, torch.tensor([1f])), [1, 1, 2, 2]);
        // padding 1, stride 2: windows cover {1}, {2,3}, {4,7}, {5,6,8,9}
        Assertions.Close([1, 5, 11, 28], F.conv2d(Grid3x3(), w, stride: 2, padding: 1), [1, 1, 2, 2]);
        // dilation 2: the four corners 1+3+7+9
        Assertions.Close([20], F.conv2d(Grid3x3(), w, dilation: 2), [1, 1, 1, 1]);
    }

    [Fact]
    public void Depthwise_conv2d_keeps_channels_apart()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.cat([torch.ones([1, 1, 2, 2]), torch.full([1, 1, 2, 2], 2.0)], 1);
        var w = torch.tensor([3f, 5f], [2, 1, 1, 1]);
        Assertions.Close([3, 3, 3, 3, 10, 10, 10, 10], F.conv2d(x, w, groups: 2), [1, 2, 2, 2]);
    }

    [Fact]
    public void Conv_transpose2d_spreads_each_input_over_a_stride_block()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.tensor([1f, 2f, 3f, 4f], [1, 1, 2, 2]);
        Assertions.Close([1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4],
            F.conv_transpose2d(x, torch.ones([1, 1, 2, 2]), stride: 2), [1, 1, 4, 4]);
    }

    [Fact]
    public void Linear_matmul_and_bmm()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.tensor([1f, 2f], [1, 2]);
        var w = torch.tensor([1f, 0f, 0f, 1f, 1f, 1f], [3, 2]);
        Assertions.Close([1, 2, 13], F.linear(x, w, torch.tensor([0f, 0f, 10f])), [1, 3]);
        Assertions.Close([1, 2, 3], F.linear(x, w), [1, 3]);

        var a = torch.tensor([1f, 2f, 3f, 4f], [2, 2]);
        var b = torch.tensor([5f, 6f, 7f, 8f], [2, 2]);
        Assertions.Close([19, 22, 43, 50], torch.matmul(a, b), [2, 2]);
        // batched matmul broadcasts the 2-d operand
        Assert.Equal(new long[] { 3, 2, 2 }, torch.matmul(torch.stack([a, a, a]), b).shape);
        var identity = torch.tensor([1f, 0f, 0f, 1f], [2, 2]);
        Assertions.Close([19, 22, 43, 50, 5, 6, 7, 8], torch.bmm(torch.stack([a, identity]), torch.stack([b, b])), [2, 2, 2]);
    }

    [Fact]
    public void Batch_norm_eval_uses_running_statistics()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.tensor([3f, 10f], [1, 2, 1, 1]);
        var mean = torch.tensor([1f, 2f]);
        var variance = torch.tensor([4f, 16f]);
        // (x - mean) / sqrt(var) * weight + bias = (3-1)/2*2+0.5, (10-2)/4*1+0
        var y = F.batch_norm(x, mean, variance, torch.tensor([2f, 1f]), torch.tensor([0.5f, 0f]), training: false, eps: 0);
        Assertions.Close([2.5f, 2f], y, [1, 2, 1, 1]);
        Assert.Equal(new[] { 1f, 2f }, mean.data<float>()); // eval leaves the statistics alone
    }

    [Fact]
    public void Batch_norm_training_normalises_by_batch_and_updates_running_statistics()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.tensor([1f, 3f], [2, 1, 1, 1]);  // batch mean 2, biased var 1, unbiased var 2
        var mean = torch.zeros([1]);
        var variance = torch.ones([1]);
        var y = F.batch_norm(x, mean, variance, training: true, momentum: 0.5, eps: 0);
        Assertions.Close([-1, 1], y, [2, 1, 1, 1]);
        Assertions.Close([1f], mean, [1]);       // 0.5 * 0 + 0.5 * 2
        Assertions.Close([1.5f], variance, [1]); // 0.5 * 1 + 0.5 * 2
    }

    [Fact]
    public void Layer_norm_and_group_norm()
    {
        using var scope = torch.NewDisposeScope();
        // mean 2.5, biased variance 1.25
        float s = 1f / MathF.Sqrt(1.25f + 1e-5f);
        Assertions.Close([-1.5f * s, -0.5f * s, 0.5f * s, 1.5f * s], F.layer_norm(torch.tensor([1f, 2f, 3f, 4f], [1, 4]), [4]), [1, 4]);
        var affine = F.layer_norm(torch.tensor([1f, 2f, 3f, 4f], [1, 4]), [4], torch.full([4], 2.0), torch.ones([4]));
        Assertions.Close([-3f * s + 1, -s + 1, s + 1, 3f * s + 1], affine, [1, 4]);
        // PyTorch: F.group_norm(torch.arange(8.).reshape(1,4,1,2), 2); each group holds 4 consecutive values
        Assertions.Close([-1.3416355f, -0.4472118f, 0.4472118f, 1.3416355f, -1.3416355f, -0.4472118f, 0.4472118f, 1.3416355f],
            F.group_norm(torch.arange(0.0, 8.0).reshape(1, 4, 1, 2), 2), [1, 4, 1, 2]);
    }

    [Fact]
    public void Activations_match_pytorch()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.tensor([-2f, -1f, 0f, 1f, 2f]);
        long[] shape = [5];
        Assertions.Close([0, 0, 0, 1, 2], F.relu(x), shape);
        // the rest printed by PyTorch 1.13 for x = [-2, -1, 0, 1, 2]
        Assertions.Close([-0.0455001f, -0.1586553f, 0f, 0.8413447f, 1.9545000f], F.gelu(x), shape);
        Assertions.Close([-0.0454023f, -0.1588080f, 0f, 0.8411920f, 1.9545977f], F.gelu(x, "tanh"), shape);
        Assertions.Close([-0.2384058f, -0.2689414f, 0f, 0.7310586f, 1.7615941f], F.silu(x), shape);
        Assertions.Close([0.1192029f, 0.2689414f, 0.5f, 0.7310586f, 0.8807970f], F.sigmoid(x), shape);
        Assertions.Close([-0.3333333f, -0.3333333f, 0f, 0.6666667f, 1.6666666f], F.hardswish(x), shape);
        Assertions.Close([0.1666667f, 0.3333333f, 0.5f, 0.6666667f, 0.8333333f], F.hardsigmoid(x), shape);
        Assertions.Close(new[] { -2f, -1f, 0f, 1f, 2f }.Select(v => MathF.Tanh(v)).ToArray(), F.tanh(x), shape);
        Assertions.Close([0, 0, 0, 1, 2], F.relu6(x), shape);
        Assert.Throws<ArgumentException>(() => F.gelu(x, "erf"));
    }

    [Fact]
    public void Softmax_and_log_softmax()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.tensor([1f, 2f, 3f, 1f, 1f, 1f], [2, 3]);
        float z = MathF.Exp(1) + MathF.Exp(2) + MathF.Exp(3);
        float[] expected = [MathF.Exp(1) / z, MathF.Exp(2) / z, MathF.Exp(3) / z, 1 / 3f, 1 / 3f, 1 / 3f];
        Assertions.Close(expected, F.softmax(x, -1), [2, 3]);
        Assertions.Close(expected.Select(v => MathF.Log(v)).ToArray(), F.log_softmax(x, 1), [2, 3]);
    }

    [Fact]
    public void Pooling()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.arange(0.0, 16.0).reshape(1, 1, 4, 4);
        Assertions.Close([5, 7, 13, 15], F.max_pool2d(x, 2), [1, 1, 2, 2]);
        Assertions.Close([2.5f, 4.5f, 10.5f, 12.5f], F.avg_pool2d(x, 2), [1, 1, 2, 2]);
        // 3x3 windows, stride 1, padding 1, top row: sums 10, 18, 24, 18 over 4, 6, 6, 4 real cells; padding counted (default) or not
        var counted = F.avg_pool2d(x, 3, stride: 1, padding: 1);
        Assertions.Close([10f / 9, 2f], counted.narrow(3, 0, 2).narrow(2, 0, 1), [1, 1, 1, 2]);
        var uncounted = F.avg_pool2d(x, 3, stride: 1, padding: 1, count_include_pad: false);
        Assertions.Close([2.5f, 3f, 4f, 4.5f], uncounted.narrow(2, 0, 1), [1, 1, 1, 4]);
        Assertions.Close([7.5f], F.adaptive_avg_pool2d(x, 1), [1, 1, 1, 1]);
        Assertions.Close([2.5f, 4.5f, 10.5f, 12.5f], F.adaptive_avg_pool2d(x, 2), [1, 1, 2, 2]);
    }

    [Fact]
    public void Interpolate_nearest_and_bilinear()
    {
        using var scope = torch.NewDisposeScope();
        var small = torch.arange(0.0, 4.0).reshape(1, 1, 2, 2);
        Assertions.Close([0, 0, 1, 1, 0, 0, 1, 1, 2, 2, 3, 3, 2, 2, 3, 3], F.interpolate(small, scale_factor: 2), [1, 1, 4, 4]);
        var x = torch.arange(0.0, 16.0).reshape(1, 1, 4, 4);
        // align_corners=True samples the corners exactly: rows/cols 0, 1.5, 3 of the 4x4 ramp
        Assertions.Close([0, 1.5f, 3, 6, 7.5f, 9, 12, 13.5f, 15],
            F.interpolate(x, size: (3, 3), mode: InterpolationMode.Bilinear, align_corners: true), [1, 1, 3, 3]);
        // PyTorch 1.13: F.interpolate(x, size=(3, 3), mode='bilinear', align_corners=False)
        Assertions.Close([0.8333334f, 2.1666667f, 3.5000002f, 6.1666670f, 7.5000005f, 8.8333340f, 11.5000010f, 12.8333340f, 14.1666670f],
            F.interpolate(x, size: (3, 3), mode: InterpolationMode.Bilinear, align_corners: false), [1, 1, 3, 3]);
        // PyTorch 1.13: scale_factor=1.5 gives floor(4 * 1.5) = 6 and uses the scale for the grid; first row checked
        var scaled = F.interpolate(x, scale_factor: 1.5, mode: InterpolationMode.Bilinear);
        Assertions.Close([0f, 0.5f, 1.1666667f, 1.8333334f, 2.5f, 3f], scaled.narrow(2, 0, 1), [1, 1, 1, 6]);
        Assert.Throws<TorchException>(() => F.interpolate(small, scale_factor: 2, align_corners: true));
        Assert.Throws<ArgumentException>(() => F.interpolate(small));
    }

    [Fact]
    public void Normalize_and_pad()
    {
        using var scope = torch.NewDisposeScope();
        // rows scaled to unit L2 norm; an all-zero row stays zero because the norm is clamped to eps
        Assertions.Close([0.6f, 0.8f, 0f, 0f], F.normalize(torch.tensor([3f, 4f, 0f, 0f], [2, 2]), dim: 1), [2, 2]);
        Assertions.Close([3f / 7, 4f / 7], F.normalize(torch.tensor([3f, 4f]), p: 1, dim: 0), [2]);
        Assertions.Close([9, 1, 2, 9, 9], F.pad(torch.tensor([1f, 2f]), [1, 2], 9), [5]);
        Assert.Equal(new long[] { 1, 1, 4, 6 }, F.pad(torch.zeros([1, 1, 2, 2]), [2, 2, 1, 1]).shape);
    }

    [Fact]
    public void Dropout_is_identity_unless_training()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.ones([1000]);
        Assert.Equal(1000f, F.dropout(x, 0.5, training: false).sum().item<float>());
        var dropped = F.dropout(x, 0.5, training: true).data<float>();
        Assert.All(dropped, v => Assert.True(v == 0f || v == 2f)); // survivors are scaled by 1 / (1 - p)
        Assert.InRange(dropped.Count(v => v == 0f), 350, 650);
    }

    [Fact]
    public void Unfold_and_fold_are_im2col_and_col2im()
    {
        using var scope = torch.NewDisposeScope();
        // PyTorch 1.13: x = torch.arange(1., 17.).reshape(1, 1, 4, 4); u = F.unfold(x, 3, padding=1, stride=2)
        var x = torch.arange(1.0, 17.0).reshape(1, 1, 4, 4);
        var u = F.unfold(x, 3, padding: 1, stride: 2);
        Assert.Equal(new long[] { 1, 9, 4 }, u.shape);
        Assertions.Close([0, 0, 0, 0, 1, 2, 0, 5, 6], u.select(2, 0).flatten(), [9]);   // u[0, :, 0]
        Assertions.Close([1, 3, 9, 11], u.select(1, 4).flatten(), [4]);                 // u[0, 4]: the block centres
        // F.fold(u, (4, 4), 3, padding=1, stride=2): overlapping contributions add up
        Assertions.Close([1, 4, 3, 4, 10, 24, 14, 16, 9, 20, 11, 12, 13, 28, 15, 16],
            F.fold(u, (4, 4), 3, padding: 1, stride: 2).flatten(), [16]);
        Assert.Throws<TorchException>(() => F.unfold(torch.ones([4, 4]), 3));
    }

    [Fact]
    public void Topk_gives_the_largest_or_smallest_values_and_their_indices()
    {
        using var scope = torch.NewDisposeScope();
        // PyTorch 1.13: t.topk(3, dim=-1) of [[3, 1, 4, 1, 5], [9, 2, 6, 5, 3]]
        var t = torch.tensor([3f, 1f, 4f, 1f, 5f, 9f, 2f, 6f, 5f, 3f], [2, 5]);
        var (values, indices) = t.topk(3);
        Assertions.Close([5, 4, 3, 9, 6, 5], values, [2, 3]);
        Assert.Equal(new long[] { 4, 2, 0, 0, 2, 3 }, indices.data<long>().ToArray());
        var (smallest, at) = t.select(0, 1).topk(2, largest: false);
        Assertions.Close([2, 3], smallest, [2]);
        Assert.Equal(new long[] { 1, 4 }, at.data<long>().ToArray());
        Assert.Throws<TorchException>(() => t.topk(6));
    }

    [Fact]
    public void Grid_sample_samples_bilinearly_or_nearest()
    {
        using var scope = torch.NewDisposeScope();
        // PyTorch 1.13: img = torch.arange(0., 12.).reshape(1, 1, 3, 4); grid [1, 2, 3, 2] below
        var img = torch.arange(0.0, 12.0).reshape(1, 1, 3, 4);
        var grid = torch.tensor([-1f, -1f, 0f, 0f, 0.5f, -0.25f, 1f, 1f, -0.75f, 0.5f, 1.2f, 0f], [1, 2, 3, 2]);
        Assertions.Close([0f, 5.5f, 5f, 2.75f, 7f, 0.6999993f], F.grid_sample(img, grid), [1, 1, 2, 3]);
        Assertions.Close([0, 6, 6, 11, 8, 7], F.grid_sample(img, grid, InterpolationMode.Nearest, "border", align_corners: true), [1, 1, 2, 3]);
        Assert.Throws<ArgumentException>(() => F.grid_sample(img, grid, padding_mode: "wrap"));
    }
}
