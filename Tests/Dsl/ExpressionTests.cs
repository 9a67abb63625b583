using System.Collections.Generic;
using ArchDsl.Dsl.Expressions;
using Xunit;

namespace ArchDsl.Tests.Dsl;

public class ExpressionTests
{
    private static Value Eval(string text, Dictionary<string, Value>? vars = null) =>
        Expression.Parse(text).Evaluate(name => vars != null && vars.TryGetValue(name, out var v) ? v : null);

    [Theory]
    [InlineData("1 + 2 * 3", 7)]
    [InlineData("(1 + 2) * 3", 9)]
    [InlineData("7 // 2", 3)]
    [InlineData("-7 // 2", -4)]     // floor division, as in Python
    [InlineData("-7 % 3", 2)]       // Python's sign convention
    [InlineData("2 ** 3 ** 2", 512)]
    [InlineData("-2 ** 2", -4)]
    [InlineData("int(2.7)", 2)]
    [InlineData("round(2.5)", 2)]   // round half to even, as Python 3
    [InlineData("round(3.5)", 4)]
    public void Arithmetic_follows_python(string text, double expected) => Assert.Equal(expected, Eval(text).Number);

    // cvnets/timm make_divisible(v, divisor, min_value): cases from the MobileViTv2 widths and the rounding rule
    [Theory]
    [InlineData(24, 8, 24)]       // 32 × 0.75
    [InlineData(32, 16, 32)]      // layer_1 at α = 0.5: 64 × 0.5 rounded to 16
    [InlineData(10, 8, 16)]       // 8 would be more than 10% below 10
    [InlineData(3, 8, 8)]         // never below the divisor
    [InlineData(44, 8, 48)]       // 44 + 4 = 48
    [InlineData(43.9, 8, 40)]
    public void Make_divisible_matches_cvnets(double v, int divisor, double expected) =>
        Assert.Equal(expected, Eval($"make_divisible({v.ToString(System.Globalization.CultureInfo.InvariantCulture)}, {divisor})").Number);

    [Fact]
    public void Variables_indexing_and_logic()
    {
        var vars = new Dictionary<string, Value>
        {
            ["channels"] = Value.Of(new[] { Value.Of(48), Value.Of(56) }),
            ["distillation"] = Value.Of(true),
            ["act"] = Value.Of("gelu"),
        };
        Assert.Equal(28, Eval("channels[1] / 2", vars).Number);
        Assert.False(Eval("not distillation", vars).Bool);
        Assert.True(Eval("channels[0] < 50 and distillation", vars).Bool);
        Assert.True(Eval("act == 'gelu'", vars).Bool);
        Assert.Equal(2, Eval("len(channels)", vars).Number);
    }

    [Theory]
    [InlineData("channels[2]", "index 2 is outside the list", 9)]
    [InlineData("1 +", "ends where a value was expected", 3)]
    [InlineData("width * scale", "unknown variable 'scale'", 8)]
    [InlineData("make_divisble(3)", "unknown function 'make_divisble'; did you mean 'make_divisible'", 0)]
    [InlineData("1 / 0", "division by zero", 4)]
    [InlineData("true + 1", "must be a number, not boolean", 0)]
    public void Errors_name_the_problem_and_where_it_is(string text, string message, int offset)
    {
        var vars = new Dictionary<string, Value> { ["channels"] = Value.Of(new[] { Value.Of(1), Value.Of(2) }), ["width"] = Value.Of(8) };
        var e = Assert.Throws<ExpressionException>(() => Eval(text, vars));
        Assert.Contains(message, e.Message);
        Assert.Equal(offset, e.Offset);
    }

    // IEEE 754 overflow (1e308 * 10), a pole (0 ** -1) and a complex root ((-8) ** 0.5) give ∞ or NaN in C#; Python
    // raises OverflowError, ZeroDivisionError or returns a complex number: here each is an error at the operator
    [Theory]
    [InlineData("1e308 * 10", 6)]
    [InlineData("0 ** -1", 2)]
    [InlineData("(-8) ** 0.5", 5)]
    [InlineData("1e999 - 1e999", 0)]
    public void Non_finite_results_are_errors_where_they_arise(string text, int offset)
    {
        var e = Assert.Throws<ExpressionException>(() => Eval(text));
        Assert.Contains("not a finite number", e.Message);
        Assert.Equal(offset, e.Offset);
    }

    [Fact]
    public void Depth_and_length_are_bounded_and_reported_as_limits()
    {
        // ExpressionParser.MaxDepth and MaxTerms, just inside and just past
        Assert.Equal(1, Eval(new string('(', 90) + "1" + new string(')', 90)).Number);
        var deep = Assert.Throws<ExpressionException>(() => Expression.Parse(new string('(', 10_000) + "1" + new string(')', 10_000)));
        Assert.True(deep.Limit);
        Assert.Equal(250, Eval(string.Join(" + ", System.Linq.Enumerable.Repeat("1", 250))).Number);
        var longSum = Assert.Throws<ExpressionException>(() => Expression.Parse(string.Join(" + ", System.Linq.Enumerable.Repeat("1", 40_000))));
        Assert.True(longSum.Limit);
        Assert.False(Assert.Throws<ExpressionException>(() => Expression.Parse("1 +")).Limit);
    }
}
