using System;
using System.Collections.Generic;
using System.Linq;
using ArchDsl.Dsl.Shapes;

namespace ArchDsl.Runtime;

/// <summary>
/// einops' <c>rearrange</c> for the subset <see cref="RearrangePattern"/> parses (the Dsl's shape inference uses the same
/// definition): reshape the input into its elementary axes, permute them, reshape into the output groups, skipping
/// the steps that change nothing. Sizes the input shape cannot give are passed to the constructor, or per call to
/// <see cref="forward(Tensor, ValueTuple{string, long}[])"/> when only known at run time (e.g. the token grid's height).
/// An input the pattern cannot take is a <see cref="ShapeMismatchException"/> naming the pattern.
/// </summary>
public sealed class Rearrange : Module<Tensor, Tensor>
{
    private readonly KeyValuePair<string, long>[] _sizes;
    private Steps? _last;

    public Rearrange(string pattern, params (string axis, long size)[] sizes) : base("Rearrange")
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(sizes);
        try
        {
            this.pattern = RearrangePattern.Parse(pattern);
        }
        catch (RearrangeException e)
        {
            throw new ArgumentException($"{name}: invalid pattern '{pattern}': {e.Message} (at character {e.Offset})", nameof(pattern), e);
        }
        foreach (var (axis, size) in sizes)
        {
            if (!this.pattern.Contains(axis)) throw new ArgumentException($"{name}: '{axis}' is not an axis of '{pattern}'", nameof(sizes));
            if (size <= 0) throw new ArgumentException($"{name}: axis '{axis}' must have a positive size, got {size}", nameof(sizes));
        }
        _sizes = sizes.Select(s => new KeyValuePair<string, long>(s.axis, s.size)).ToArray();
    }

    public RearrangePattern pattern { get; }

    /// <summary>The axis sizes given to the constructor.</summary>
    public IReadOnlyList<KeyValuePair<string, long>> sizes => _sizes;

    public override Tensor forward(Tensor input) => Apply(input, []);

    /// <summary>Rearranges with <paramref name="runtimeSizes"/> added to the constructor's sizes. A direct call: it
    /// runs no hooks (rearranging records no ops).</summary>
    public Tensor forward(Tensor input, params (string axis, long size)[] runtimeSizes) => Apply(input, runtimeSizes);

    /// <summary>The plan for an input shape (what forward does), e.g. to ask for an axis size.</summary>
    public RearrangePlan Plan(long[] inputShape, params (string axis, long size)[] runtimeSizes)
    {
        try
        {
            return pattern.Infer(inputShape, Known(runtimeSizes));
        }
        catch (RearrangeException e)
        {
            throw Mismatch(inputShape, runtimeSizes, e.Message);
        }
    }

    private Tensor Apply(Tensor input, (string axis, long size)[] runtimeSizes)
    {
        var shape = input.Shape;
        var steps = _last;
        if (steps is null || !steps.Matches(shape, runtimeSizes))
        {
            steps = new Steps(shape, runtimeSizes, Plan(shape, runtimeSizes));
            _last = steps;
        }
        if (steps.Split is null && steps.Permutation is null && steps.Output is null) return input.alias();
        using var scope = torch.NewDisposeScope();
        var x = input;
        if (steps.Split is not null) x = x.reshape(steps.Split);
        if (steps.Permutation is not null) x = x.permute(steps.Permutation);
        if (steps.Output is not null) x = x.reshape(steps.Output);
        return scope.MoveToOuter(x);
    }

    private IReadOnlyList<KeyValuePair<string, long>> Known((string axis, long size)[] runtimeSizes)
    {
        if (runtimeSizes.Length == 0) return _sizes;
        var all = new List<KeyValuePair<string, long>>(_sizes);
        foreach (var (axis, size) in runtimeSizes) all.Add(new KeyValuePair<string, long>(axis, size));
        return all;
    }

    private ShapeMismatchException Mismatch(long[] shape, (string axis, long size)[] runtimeSizes, string reason)
    {
        var given = Known(runtimeSizes).Select(s => $"{s.Key} = {s.Value}").ToList();
        string with = given.Count == 0 ? "" : " with " + string.Join(", ", given);
        string left = RearrangePattern.SideText(pattern.Left);
        return new ShapeMismatchException(name, $"[{left}] of '{pattern}'{with} ({reason})", ShapeCheck.Format(shape));
    }

    /// <summary>The reshape/permute arguments for one input shape and runtime sizes (null: the step is skipped).</summary>
    private sealed class Steps
    {
        private readonly long[] _shape;
        private readonly (string axis, long size)[] _runtimeSizes;

        public Steps(long[] shape, (string axis, long size)[] runtimeSizes, RearrangePlan plan)
        {
            _shape = (long[])shape.Clone();
            _runtimeSizes = ((string, long)[])runtimeSizes.Clone();
            // without a permutation one reshape does both the split and the merge
            if (plan.SplitsInput && (plan.Permutes || !plan.MergesOutput)) Split = plan.Sizes.ToArray();
            if (plan.Permutes) Permutation = plan.Permutation.Select(i => (long)i).ToArray();
            if (plan.MergesOutput) Output = plan.Output.ToArray();
        }

        public long[]? Split { get; }
        public long[]? Permutation { get; }
        public long[]? Output { get; }

        public bool Matches(long[] shape, (string axis, long size)[] runtimeSizes) =>
            shape.AsSpan().SequenceEqual(_shape) && runtimeSizes.AsSpan().SequenceEqual(_runtimeSizes);
    }
}
