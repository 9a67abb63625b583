using System;
using ArchDsl.Runtime;
using Xunit;

namespace ArchDsl.Tests.Runtime;

/// <summary>The Rearrange module against the hand-written reshape/permute code of the official implementations.</summary>
public sealed class RearrangeTests
{
    private static void Same(Tensor expected, Tensor actual)
    {
        Assert.Equal(expected.shape, actual.shape);
        Assert.Equal(0.0, torch.max_abs_diff(expected, actual));
    }

    [Fact]
    public void MobileViTv2_unfolding_and_folding()
    {
        using var scope = torch.NewDisposeScope();
        long b = 2, c = 3, p = 2, nh = 3, nw = 4;
        var x = torch.randn([b, c, nh * p, nw * p], seed: 1);
        using var unfold = new Rearrange("b c (h ph) (w pw) -> b c (ph pw) (h w)", ("ph", p), ("pw", p));
        // cvnets MobileViTBlockv2.unfolding_pytorch (F.unfold with kernel = stride = patch), as reshape/permute
        var expected = x.reshape(b, c, nh, p, nw, p).permute(0, 1, 3, 5, 2, 4).reshape(b, c, p * p, nh * nw);
        var patches = unfold.call(x);
        Same(expected, patches);

        using var fold = new Rearrange("b c (ph pw) (h w) -> b c (h ph) (w pw)", ("ph", p), ("pw", p));
        var folded = fold.forward(patches, ("h", nh));
        Same(patches.reshape(b, c, p, p, nh, nw).permute(0, 1, 4, 2, 5, 3).reshape(b, c, nh * p, nw * p), folded);
        Same(x, folded);
    }

    [Fact]
    public void MobileViT_v1_unfolding_and_folding()
    {
        using var scope = torch.NewDisposeScope();
        long b = 2, c = 5, ph = 2, pw = 2, nh = 3, nw = 2;
        var x = torch.randn([b, c, nh * ph, nw * pw], seed: 2);
        // cvnets MobileViTBlock.unfolding: [B, C, H, W] → [B·C·nh, ph, nw, pw] → transpose(1, 2) → [B, C, N, P]
        // → transpose(1, 3) → [B·P, N, C]
        var expected = x.reshape(b * c * nh, ph, nw, pw).transpose(1, 2).reshape(b, c, nh * nw, ph * pw).transpose(1, 3)
            .reshape(b * ph * pw, nh * nw, c);
        using var unfold = new Rearrange("b c (h ph) (w pw) -> (b ph pw) (h w) c", ("ph", ph), ("pw", pw));
        var patches = unfold.call(x);
        Same(expected, patches);

        // cvnets MobileViTBlock.folding: [B·P, N, C] → [B, P, N, C] → transpose(1, 3) → [B·C·nh, nw, ph, pw]
        // → transpose(1, 2) → [B, C, H, W]
        var folded = patches.contiguous().view(b, ph * pw, nh * nw, c).transpose(1, 3).reshape(b * c * nh, nw, ph, pw).transpose(1, 2)
            .reshape(b, c, nh * ph, nw * pw);
        using var fold = new Rearrange("(b ph pw) (h w) c -> b c (h ph) (w pw)", ("ph", ph), ("pw", pw));
        var rearranged = fold.forward(patches, ("h", nh));
        Same(folded, rearranged);
        Same(x, rearranged);
    }

    [Fact]
    public void Map_to_tokens_and_back()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.randn([2, 4, 3, 5], seed: 3);
        using var toTokens = new Rearrange("b c h w -> b (h w) c");
        var tokens = toTokens.call(x);
        Same(x.flatten(2).transpose(1, 2), tokens);

        using var toMap = new Rearrange("b (h w) c -> b c h w");
        var map = toMap.forward(tokens, ("h", 3));
        Same(x, map);
        using var toMapFixed = new Rearrange("b (h w) c -> b c h w", ("w", 5));
        Same(x, toMapFixed.call(tokens));
    }

    [Fact]
    public void LightViT_merge_order_equals_the_official_strided_slices()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.randn([2, 4, 6, 3], seed: 4); // [B, H, W, C]
        // LightViT ResidualMergePatch: x0 = x[:, 0::2, 0::2], x1 = x[:, 1::2, 0::2], x2 = x[:, 0::2, 1::2], x3 = x[:, 1::2, 1::2]
        Tensor Slice(long row, long column) => x.slice(1, row, 4, 2).slice(2, column, 6, 2);
        var official = torch.cat([Slice(0, 0), Slice(1, 0), Slice(0, 1), Slice(1, 1)], -1);
        using var merge = new Rearrange("b (h p1) (w p2) c -> b h w (p2 p1 c)", ("p1", 2), ("p2", 2));
        Same(official, merge.call(x));
    }

    [Fact]
    public void Multi_head_split()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.randn([2, 7, 12], seed: 5);
        using var split = new Rearrange("b n (h d) -> b h n d", ("h", 3));
        Same(x.reshape(2, 7, 3, 4).transpose(1, 2), split.call(x));
        using var merge = new Rearrange("b h n d -> b n (h d)");
        Same(x, merge.call(split.call(x)));
    }

    [Fact]
    public void Plans_are_redone_for_a_new_shape_and_no_op_patterns_alias()
    {
        using var scope = torch.NewDisposeScope();
        using var toTokens = new Rearrange("b c h w -> b (h w) c");
        foreach (var shape in new long[][] { [1, 2, 3, 4], [2, 2, 4, 4], [1, 2, 3, 4] })
        {
            var x = torch.randn(shape, seed: 6);
            Same(x.flatten(2).transpose(1, 2), toTokens.call(x));
        }
        using var identity = new Rearrange("b c -> b c");
        var y = torch.ones([2, 3]);
        var same = identity.call(y);
        Assert.NotSame(y, same);
        Same(y, same);
        Assert.Equal(3, toTokens.Plan([1, 3, 4, 5]).SizeOf("c"));
    }

    [Fact]
    public void Invalid_patterns_and_inputs_are_reported()
    {
        var invalid = Assert.Throws<ArgumentException>(() => new Rearrange("b (h w -> b h w"));
        Assert.Contains("'(' is not closed", invalid.Message);
        Assert.Contains("at character 2", invalid.Message);
        Assert.Throws<ArgumentException>(() => new Rearrange("b c -> b c", ("q", 2)));
        Assert.Throws<ArgumentException>(() => new Rearrange("b (c d) -> b c d", ("c", 0)));

        using var unfold = new Rearrange("b c (h ph) (w pw) -> b c (ph pw) (h w)", ("ph", 2), ("pw", 2));
        using var scope = torch.NewDisposeScope();
        var e = Assert.Throws<ShapeMismatchException>(() => unfold.call(torch.ones([1, 3, 15, 16])));
        Assert.Equal("Rearrange", e.Module);
        Assert.Equal("[1, 3, 15, 16]", e.Actual);
        Assert.Contains("'b c (h ph) (w pw) -> b c (ph pw) (h w)'", e.Message);
        Assert.Contains("axis group (h ph): 15 is not divisible by ph = 2", e.Message);
        Assert.Contains("with ph = 2, pw = 2", e.Message);
        Assert.Throws<ShapeMismatchException>(() => unfold.call(torch.ones([3, 16, 16])));
        using var toMap = new Rearrange("b (h w) c -> b c h w");
        Assert.Contains("h and w have no known size", Assert.Throws<ShapeMismatchException>(() => toMap.call(torch.ones([1, 12, 3]))).Message);
    }
}
