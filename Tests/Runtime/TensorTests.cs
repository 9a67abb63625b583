using System;
using ArchDsl.Runtime;
using ArchDsl.Tests.Support;
using Xunit;

namespace ArchDsl.Tests.Runtime;

/// <summary>Creation, inspection, elementwise math, reductions and shape ops. Expected values follow
/// PyTorch's definitions and are small enough to check by hand.</summary>
[Collection(nameof(ProcessStateCollection))]   // reseeds the default generator
public sealed class TensorTests
{
    [Fact]
    public void Tensor_from_data_round_trips_shape_dtype_and_values()
    {
        using var scope = torch.NewDisposeScope();
        var t = torch.tensor([1f, 2f, 3f, 4f, 5f, 6f], [2, 3]);
        Assert.Equal(new long[] { 2, 3 }, t.shape);
        Assert.Equal(ScalarType.Float32, t.dtype);
        Assert.Equal(2, t.dim());
        Assert.Equal(6, t.numel());
        Assert.Equal(4, t.element_size());
        Assert.Equal(new[] { 1f, 2f, 3f, 4f, 5f, 6f }, t.data<float>());
        Assert.Equal("Tensor([2, 3], Float32)", t.ToString());
    }

    [Fact]
    public void Each_element_type_keeps_its_values()
    {
        using var scope = torch.NewDisposeScope();
        Assert.Equal(new long[] { long.MinValue, 0, long.MaxValue }, torch.tensor([long.MinValue, 0, long.MaxValue]).data<long>());
        Assert.Equal(new[] { -7, 9 }, torch.tensor([-7, 9]).data<int>());
        Assert.Equal(new[] { true, false, true }, torch.tensor([true, false, true]).data<bool>());
        Assert.Equal(new[] { (Half)1.5f, (Half)(-2f) }, torch.tensor([(Half)1.5f, (Half)(-2f)]).data<Half>());
        Assert.Equal(new[] { 0.1, 1e300 }, torch.tensor([0.1, 1e300]).data<double>());
        // 1.5 and -2 are exact in bfloat16 (8 significant bits), so the round trip through BF16 is lossless
        var bf16 = torch.tensor([1.5f, -2f], dtype: ScalarType.BFloat16);
        Assert.Equal(ScalarType.BFloat16, bf16.dtype);
        Assert.Equal(new[] { 1.5f, -2f }, bf16.to(ScalarType.Float32).data<float>());
        Assert.Equal(new byte[] { 0xC0, 0x3F, 0x00, 0xC0 }, bf16.bytes()); // 0x3FC0 = 1.5, 0xC000 = -2, little endian
    }

    [Fact]
    public void Scalar_tensors_and_item()
    {
        using var scope = torch.NewDisposeScope();
        var s = torch.tensor(2.5f);
        Assert.Empty(s.shape);
        Assert.Equal(1, s.numel());
        Assert.Equal(2.5f, s.item<float>());
        Assert.Equal(7L, torch.tensor(7L).item<long>());
        Assert.Throws<InvalidOperationException>(() => torch.ones([2]).item<float>());
    }

    [Fact]
    public void Reading_with_the_wrong_element_type_is_rejected()
    {
        using var scope = torch.NewDisposeScope();
        var t = torch.ones([2]);
        var e = Assert.Throws<InvalidOperationException>(() => t.data<long>());
        Assert.Contains("Float32", e.Message);
    }

    [Fact]
    public void Factories()
    {
        using var scope = torch.NewDisposeScope();
        Assert.Equal(new[] { 0f, 0f }, torch.zeros([2]).data<float>());
        Assert.Equal(new[] { 1f, 1f, 1f }, torch.ones([3]).data<float>());
        Assert.Equal(new[] { 2.5f, 2.5f }, torch.full([2], 2.5).data<float>());
        Assert.Equal(ScalarType.Int64, torch.full([1], 3L).dtype);
        Assert.Equal(new long[] { 0, 1, 2, 3 }, torch.arange(4).data<long>());
        Assert.Equal(new long[] { 2, 5, 8 }, torch.arange(2, 10, 3).data<long>());
        Assert.Equal(new[] { 0f, 0.5f, 1f, 1.5f }, torch.arange(0.0, 2.0, 0.5).data<float>());
        Assert.Equal(new long[] { 2, 3 }, torch.empty([2, 3]).shape);
        Assert.Equal(ScalarType.Float16, torch.zeros([1], ScalarType.Float16).dtype);
    }

    [Fact]
    public void Seeded_random_matches_pytorch()
    {
        using var scope = torch.NewDisposeScope();
        // torch.manual_seed(0); torch.randn(5) and torch.manual_seed(42); torch.rand(4) in PyTorch 1.13
        Assertions.Close([1.5409961f, -0.2934289f, -2.1787894f, 0.5684313f, -1.0845224f], torch.randn([5], seed: 0), [5]);
        Assertions.Close([0.8822693f, 0.9150040f, 0.3828638f, 0.9593056f], torch.rand([4], seed: 42), [4]);
        torch.manual_seed(0);
        Assertions.Close([1.5409961f, -0.2934289f], torch.randn([2]), [2]);
    }

    [Fact]
    public void Arithmetic_broadcasts()
    {
        using var scope = torch.NewDisposeScope();
        var a = torch.tensor([1f, 2f, 3f, 4f, 5f, 6f], [2, 3]);
        var row = torch.tensor([10f, 20f, 30f], [3]);
        var column = torch.tensor([100f, 200f], [2, 1]);
        Assert.Equal(new[] { 11f, 22f, 33f, 14f, 25f, 36f }, (a + row).data<float>());
        Assert.Equal(new[] { 101f, 102f, 103f, 204f, 205f, 206f }, (a + column).data<float>());
        Assert.Equal(new[] { -9f, -18f, -27f, -6f, -15f, -24f }, (a - row).data<float>());
        Assert.Equal(new[] { 10f, 40f, 90f, 40f, 100f, 180f }, (a * row).data<float>());
        Assert.Equal(new[] { 0.5f, 1f, 1.5f, 2f, 2.5f, 3f }, (a / 2.0).data<float>());
        Assert.Equal(new[] { 9f, 8f, 7f, 6f, 5f, 4f }, (10.0 - a).data<float>());
        Assert.Equal(new[] { 6f, 3f, 2f, 1.5f, 1.2f, 1f }, (6.0 / a).data<float>());
        Assert.Equal(new[] { -1f, -2f, -3f, -4f, -5f, -6f }, (-a).data<float>());
        Assert.Equal(new[] { 1f, 4f, 9f, 16f, 25f, 36f }, a.pow(2).data<float>());
        Assert.Equal(new long[] { 2, 3 }, (a * column).shape);
    }

    [Fact]
    public void Integral_scalars_keep_integer_tensors_integral()
    {
        using var scope = torch.NewDisposeScope();
        var i = torch.tensor([1L, 2L, 3L]);
        var plusOne = i + 1;
        Assert.Equal(ScalarType.Int64, plusOne.dtype);
        Assert.Equal(new long[] { 2, 3, 4 }, plusOne.data<long>());
        Assert.Equal(ScalarType.Float32, (i + 0.5).dtype); // PyTorch: int64 tensor + Python float -> default float dtype
        Assert.Equal(ScalarType.Float32, (i / 2).dtype);   // true division
    }

    [Fact]
    public void Unary_math()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.tensor([1f, 4f, 9f]);
        Assert.Equal(new[] { 1f, 2f, 3f }, x.sqrt().data<float>());
        Assertions.Close([1f, 0.5f, 1f / 3], x.rsqrt(), [3]);
        Assertions.Close([0f, MathF.Log(4), MathF.Log(9)], x.log(), [3]);
        Assertions.Close([MathF.E, MathF.Exp(4), MathF.Exp(9)], x.exp(), [3], tolerance: 1e-2);
        Assert.Equal(new[] { 2f, 0f, 3f }, torch.tensor([-2f, 0f, 3f]).abs().data<float>());
        Assert.Equal(new[] { -1f, 0.5f, 1f }, torch.tensor([-3f, 0.5f, 7f]).clamp(-1, 1).data<float>());
        Assert.Equal(new[] { 0f, 0.5f, 7f }, torch.tensor([-3f, 0.5f, 7f]).clamp_min(0).data<float>());
    }

    [Fact]
    public void Reductions()
    {
        using var scope = torch.NewDisposeScope();
        var a = torch.tensor([1f, 5f, 3f, 4f, 2f, 6f], [2, 3]);
        Assert.Equal(21f, a.sum().item<float>());
        Assert.Equal(new[] { 9f, 12f }, a.sum(1).data<float>());
        Assert.Equal(new long[] { 2, 1 }, a.sum(1, keepdim: true).shape);
        Assert.Equal(new[] { 2.5f, 3.5f, 4.5f }, a.mean(0).data<float>());
        Assert.Equal(3.5f, a.mean().item<float>());
        Assert.Equal(new long[] { 1, 1 }, a.mean([0, 1], keepdim: true).shape);
        Assert.Equal(6f, a.max().item<float>());
        Assert.Equal(1f, a.min().item<float>());
        Assert.Equal(new[] { 5f, 6f }, a.amax(1).data<float>());
        Assert.Equal(new[] { 1f, 2f, 3f }, a.amin(0).data<float>());
        var (values, indexes) = a.max(1);
        Assert.Equal(new[] { 5f, 6f }, values.data<float>());
        Assert.Equal(new long[] { 1, 2 }, indexes.data<long>());
        Assert.Equal(5L, a.argmax().item<long>());
        Assert.Equal(new long[] { 1, 0, 1 }, a.argmax(0).data<long>()); // columns (1,4), (5,2), (3,6)
        Assert.Equal(new long[] { 0, 1 }, a.argmin(1).data<long>());
    }

    [Fact]
    public void Comparisons_where_and_masked_fill()
    {
        using var scope = torch.NewDisposeScope();
        var a = torch.tensor([1f, 2f, 3f]);
        var b = torch.tensor([3f, 2f, 1f]);
        Assert.Equal(new[] { true, false, false }, a.lt(b).data<bool>());
        Assert.Equal(new[] { false, true, false }, a.eq(b).data<bool>());
        Assert.Equal(new[] { false, true, true }, a.ge(2).data<bool>());
        Assert.Equal(new[] { 3f, 2f, 3f }, torch.where(a.gt(b), a, b).data<float>());
        Assert.Equal(new[] { 3f, 2f, 3f }, a.maximum(b).data<float>());
        Assert.Equal(new[] { 1f, 2f, 1f }, a.minimum(b).data<float>());
        Assert.Equal(new[] { 1f, -1f, -1f }, a.masked_fill(a.ge(2), -1).data<float>());
        Assert.True(a.allclose(torch.tensor([1f, 2f, 3.000001f])));
        Assert.False(a.allclose(b));
        Assert.Equal(2.0, torch.max_abs_diff(a, b), 6);
    }

    [Fact]
    public void View_and_layout_ops()
    {
        using var scope = torch.NewDisposeScope();
        var a = torch.arange(0.0, 24.0).reshape(2, 3, 4);
        Assert.Equal(new long[] { 6, 4 }, a.view(6, 4).shape);
        Assert.Equal(new long[] { 6, 4 }, a.reshape(-1, 4).shape);
        var p = a.permute(2, 0, 1);
        Assert.Equal(new long[] { 4, 2, 3 }, p.shape);
        Assert.False(p.is_contiguous());
        Assert.True(p.contiguous().is_contiguous());
        // p[1, 0, 2] = a[0, 2, 1] = 0*12 + 2*4 + 1 = 9
        Assert.Equal(9f, p.contiguous().data<float>()[1 * 6 + 0 * 3 + 2]);
        var t = a.transpose(1, 2);
        Assert.Equal(new long[] { 2, 4, 3 }, t.shape);
        Assert.Equal(new long[] { 2, 12 }, a.flatten(1).shape);
        Assert.Equal(new long[] { 24 }, a.flatten().shape);
        Assert.Equal(new long[] { 2, 1, 3, 4 }, a.unsqueeze(1).shape);
        Assert.Equal(new long[] { 2, 3, 4 }, a.unsqueeze(1).squeeze(1).shape);
        Assert.Equal(new long[] { 3 }, torch.zeros([1, 3, 1]).squeeze().shape);
        Assert.Equal(new long[] { 2, 3, 4 }, torch.zeros([1, 3, 1]).expand(2, 3, 4).shape);
        Assert.Equal(new[] { 1f, 2f, 1f, 2f, 1f, 2f }, torch.tensor([1f, 2f]).repeat(3).data<float>());
        Assert.Equal(new[] { 4f, 5f, 6f, 7f }, a.narrow(1, 1, 1).flatten().data<float>()[..4]);
        Assert.Equal(new[] { 1f, 3f }, torch.arange(0.0, 5.0).slice(0, 1, 5, 2).data<float>());
        Assert.Equal(new[] { 4f, 5f, 6f, 7f }, a.select(0, 0).select(0, 1).data<float>());
        Assert.Equal(new[] { 4f, 0f, 1f, 2f, 3f }, torch.arange(0.0, 5.0).roll(1, 0).data<float>());
    }

    [Fact]
    public void Alias_shares_storage_clone_does_not()
    {
        using var scope = torch.NewDisposeScope();
        var a = torch.zeros([2]);
        var alias = a.alias();
        var copy = a.clone();
        a.fill_(3.0);
        Assert.Equal(new[] { 3f, 3f }, alias.data<float>());
        Assert.Equal(new[] { 0f, 0f }, copy.data<float>());
        alias.Dispose();
        Assert.Equal(new[] { 3f, 3f }, a.data<float>());
    }

    [Fact]
    public void Joining_and_splitting()
    {
        using var scope = torch.NewDisposeScope();
        var a = torch.tensor([1f, 2f], [1, 2]);
        var b = torch.tensor([3f, 4f], [1, 2]);
        Assert.Equal(new long[] { 2, 2 }, torch.cat([a, b]).shape);
        Assert.Equal(new[] { 1f, 2f, 3f, 4f }, torch.cat([a, b], 1).data<float>());
        Assert.Equal(new long[] { 2, 1, 2 }, torch.stack([a, b]).shape);

        var x = torch.arange(0.0, 5.0);
        var chunks = x.chunk(3);
        Assert.Equal(3, chunks.Length);
        Assert.Equal(new[] { 0f, 1f }, chunks[0].data<float>());
        Assert.Equal(new[] { 4f }, chunks[2].data<float>());
        Assert.Equal(2, torch.arange(0.0, 2.0).chunk(5).Length); // PyTorch returns fewer chunks than asked when the dim is short
        var pieces = x.split(2);
        Assert.Equal(new[] { 2L, 2L, 1L }, Array.ConvertAll(pieces, p => p.numel()));
        var sized = x.split([1L, 4L]);
        Assert.Equal(new[] { 1f, 2f, 3f, 4f }, sized[1].data<float>());
    }

    [Fact]
    public void Indexing_ops()
    {
        using var scope = torch.NewDisposeScope();
        var a = torch.tensor([10f, 11f, 12f, 20f, 21f, 22f], [2, 3]);
        Assert.Equal(new[] { 12f, 10f, 22f, 20f }, a.index_select(1, torch.tensor([2L, 0L])).data<float>());
        // gather along 1: out[i][j] = a[i][index[i][j]]
        Assert.Equal(new[] { 11f, 11f, 22f, 20f }, a.gather(1, torch.tensor([1L, 1L, 2L, 0L], [2, 2])).data<float>());
        // scatter along 0: out[index[i][j]][j] = src[i][j]
        var scattered = torch.zeros([2, 3]).scatter(0, torch.tensor([1L, 0L, 1L], [1, 3]), torch.tensor([7f, 8f, 9f], [1, 3]));
        Assert.Equal(new[] { 0f, 8f, 0f, 7f, 0f, 9f }, scattered.data<float>());
    }

    [Fact]
    public void In_place_copy_and_fill()
    {
        using var scope = torch.NewDisposeScope();
        var dst = torch.zeros([2, 2]);
        dst.copy_(torch.tensor([1f, 2f], [2])); // broadcasts like PyTorch's copy_
        Assert.Equal(new[] { 1f, 2f, 1f, 2f }, dst.data<float>());
        dst.fill_(5L);
        Assert.Equal(new[] { 5f, 5f, 5f, 5f }, dst.data<float>());
    }

    [Fact]
    public void Thread_count_defaults_to_one_and_can_be_set()
    {
        int initial = torch.get_num_threads();
        Assert.Equal(1, initial); // the default chosen from archdsl bench (NativeRuntime)
        torch.set_num_threads(2);
        Assert.Equal(2, torch.get_num_threads());
        Assert.Equal(2, torch.get_blas_num_threads());   // the set-up installs OpenBLAS, whose pool follows
        torch.set_num_threads(initial);
        Assert.Equal(initial, torch.get_num_threads());
        Assert.Equal(initial, torch.get_blas_num_threads());
        Assert.Throws<ArgumentOutOfRangeException>(() => torch.set_num_threads(0));
    }
}
