using System.Collections.Generic;
using System.Linq;
using ArchDsl.Dsl.Shapes;
using Xunit;

namespace ArchDsl.Tests.Runtime;

/// <summary>The einops pattern algebra the Dsl and the runtime Rearrange share: parsing, errors with offsets, inference.</summary>
public sealed class RearrangePatternTests
{
    private static KeyValuePair<string, long>[] Sizes(params (string axis, long size)[] sizes) =>
        sizes.Select(s => new KeyValuePair<string, long>(s.axis, s.size)).ToArray();

    [Fact]
    public void Parses_groups_and_axes()
    {
        var p = RearrangePattern.Parse("b c (h ph)  (w pw)->b (ph pw) (h w) c");
        Assert.Equal(["b", "c", "h", "ph", "w", "pw"], p.LeftAxes);
        Assert.Equal(["b", "ph", "pw", "h", "w", "c"], p.RightAxes);
        Assert.Equal(4, p.Left.Count);
        Assert.False(p.Left[1].Composite);
        Assert.True(p.Left[2].Composite);
        Assert.Equal(["h", "ph"], p.Left[2].Axes);
        Assert.Equal(4, p.Left[2].Offset);
        Assert.Equal("(ph pw)", p.Right[1].ToString());
        Assert.Equal("b c (h ph) (w pw) -> b (ph pw) (h w) c", p.ToString());
        Assert.True(p.Contains("pw"));
        Assert.False(p.Contains("p"));
    }

    [Theory]
    [InlineData("b c h w", "missing '->'", 7)]
    [InlineData("b c -> b c -> c", "'->' appears twice", 11)]
    [InlineData("b (h (w)) -> b h w", "nested parenthesis", 5)]
    [InlineData("b h) -> b h", "unbalanced parenthesis: ')' without '('", 3)]
    [InlineData("b (h w -> b h w", "unbalanced parenthesis: '(' is not closed", 2)]
    [InlineData("b h w -> b h h w", "axis 'h' appears twice on the right", 13)]
    [InlineData("b h h -> b h", "axis 'h' appears twice on the left", 4)]
    [InlineData("b h -> b q", "axis 'q' of the right side is not on the left", 9)]
    [InlineData("b h w -> b h", "axis 'w' of the left side is not on the right", 4)]
    [InlineData("b () -> b", "empty group", 2)]
    [InlineData("b 2 -> b", "anonymous axis '2'", 2)]
    [InlineData("b ... -> b ...", "ellipsis", 2)]
    [InlineData("b h$ -> b h", "unexpected character '$'", 3)]
    [InlineData(" -> b", "the left side has no axes", 0)]
    [InlineData("b ->", "the right side has no axes", 4)]
    public void Parse_errors_carry_a_message_and_the_offset(string pattern, string message, int offset)
    {
        var e = Assert.Throws<RearrangeException>(() => RearrangePattern.Parse(pattern));
        Assert.Contains(message, e.Message);
        Assert.Equal(offset, e.Offset);
    }

    [Fact]
    public void Infers_sizes_reshape_permutation_and_output()
    {
        var p = RearrangePattern.Parse("b c (h ph) (w pw) -> b (ph pw) (h w) c");
        var plan = p.Infer([2, 3, 8, 12], Sizes(("ph", 2), ("pw", 4)));
        Assert.Equal(["b", "c", "h", "ph", "w", "pw"], plan.Axes);
        Assert.Equal([2L, 3, 4, 2, 3, 4], plan.Sizes);
        Assert.Equal([0, 3, 5, 2, 4, 1], plan.Permutation);
        Assert.Equal([2L, 8, 12, 3], plan.Output);
        Assert.True(plan.SplitsInput && plan.Permutes && plan.MergesOutput);
        Assert.Equal(3, plan.SizeOf("w"));

        // tokens → map: the whole group known through one axis
        var tokens = RearrangePattern.Parse("b (h w) c -> b c h w").Infer([2, 12, 5], Sizes(("h", 3)));
        Assert.Equal([2L, 3, 4, 5], tokens.Sizes);
        Assert.Equal([2L, 5, 3, 4], tokens.Output);
        Assert.False(tokens.MergesOutput);

        // nothing to split, merge or move
        var same = RearrangePattern.Parse("b c -> b c").Infer([4, 5], Sizes());
        Assert.False(same.SplitsInput || same.Permutes || same.MergesOutput);

        // a known size that agrees with the input is fine, also for a fully known group
        var known = RearrangePattern.Parse("(a b) c -> c a b").Infer([6, 1], Sizes(("a", 2), ("b", 3), ("c", 1)));
        Assert.Equal([1L, 2, 3], known.Output);
    }

    [Fact]
    public void Infer_errors_explain_the_problem()
    {
        var p = RearrangePattern.Parse("b c (h ph) (w pw) -> b c (ph pw) (h w)");
        string Error(long[] dims, params (string, long)[] sizes) =>
            Assert.Throws<RearrangeException>(() => p.Infer(dims, Sizes(sizes))).Message;

        Assert.Equal("axis group (h ph): 15 is not divisible by ph = 2", Error([1, 3, 15, 16], ("ph", 2), ("pw", 2)));
        Assert.Equal("the left side 'b c (h ph) (w pw)' has 4 dimensions, the input has 3", Error([1, 3, 16], ("ph", 2), ("pw", 2)));
        Assert.Equal("axis group (w pw): 16 cannot be split, w and pw have no known size (give all but one)", Error([1, 3, 16, 16], ("ph", 2)));
        Assert.Equal("axis c = 4 contradicts the input, whose dimension 1 is 3", Error([1, 3, 16, 16], ("ph", 2), ("pw", 2), ("c", 4)));
        Assert.Equal("axis group (h ph): the input has 16, but h·ph = 3·2 = 6", Error([1, 3, 16, 16], ("ph", 2), ("pw", 2), ("h", 3)));
        var three = RearrangePattern.Parse("(h ph q) -> h ph q");
        Assert.Equal("axis group (h ph q): 16 is not divisible by h·ph = 3·3 = 9",
            Assert.Throws<RearrangeException>(() => three.Infer([16], Sizes(("h", 3), ("ph", 3)))).Message);
        Assert.Contains("'q', which is not an axis", Error([1, 3, 16, 16], ("q", 2)));
        Assert.Equal("axis 'ph' is given two sizes, 2 and 4", Error([1, 3, 16, 16], ("ph", 2), ("ph", 4), ("pw", 2)));
        Assert.Equal("axis 'ph' must have a positive size, got 0", Error([1, 3, 16, 16], ("ph", 0)));

        var offset = Assert.Throws<RearrangeException>(() => p.Infer([1, 3, 15, 16], Sizes(("ph", 2), ("pw", 2)))).Offset;
        Assert.Equal(4, offset); // the group "(h ph)"
    }
}
