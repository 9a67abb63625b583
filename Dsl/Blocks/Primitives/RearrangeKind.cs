using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Diagnostics;
using ArchDsl.Dsl.Shapes;

namespace ArchDsl.Dsl.Blocks.Primitives
{
    /// <summary>
    /// einops' rearrange (and its Rearrange layer): layout changes written as a pattern, e.g. MobileViT's patch unfolding
    /// <c>b c (h ph) (w pw) -> b c (ph pw) (h w)</c> with <c>ph: 2, pw: 2</c>, or heads <c>b n (h d) -> b h n d</c>.
    /// The first axis of the left side is the batch, <c>b</c>; it may be folded into another axis. Other parameters of
    /// the row are axis sizes. Axes split from a resolution-dependent dimension stay resolution-dependent; tokens made of
    /// two such axes, like <c>(h w)</c>, keep their grid, so <c>b (h w) c -> b c h w</c> later needs no sizes.
    /// </summary>
    public sealed class RearrangeKind : BlockKind
    {
        private static readonly ConcurrentDictionary<string, RearrangePattern> s_patterns = new ConcurrentDictionary<string, RearrangePattern>();

        public override string Name => "rearrange";
        public override string Summary => "einops rearrange: reshape and permute written as a pattern (b c (h ph) (w pw) -> …)";
        public override string RuntimeType => "ArchDsl.Runtime.Rearrange";
        public override bool TakesAxisSizes => true;

        public override IReadOnlyList<ParamDecl> Params { get; } = new[]
        {
            ParamDecl.Text("pattern", "einops pattern 'left -> right'; the first left axis is the batch b"),
        };

        public override IEnumerable<ConstructorArg> ConstructorArgs(BlockArgs args, IReadOnlyList<Shape> inputs)
        {
            yield return new ConstructorArg("pattern", args.Text("pattern"));
            yield return new ConstructorArg("sizes", new AxisSizes(Sizes(args).Select(kv => (kv.Key, kv.Value)).ToArray()));
        }

        public override string Call(string field, BlockArgs args, IReadOnlyList<Operand> operands)
        {
            var x = operands[0];
            return GridAxes(Pattern(args), x.Shape, Sizes(args)) is { } axes && x.GridHeight != null
                ? $"{field}.forward({x.Tensor}, ({CSharpQuote(axes.First)}, {x.GridHeight}), ({CSharpQuote(axes.Second)}, {x.GridWidth}))"
                : base.Call(field, args, operands);
        }

        public override (string Height, string Width)? GridOf(BlockArgs args, IReadOnlyList<Operand> operands)
        {
            var pattern = Pattern(args);
            var x = operands[0];
            var sizes = Sizes(args);
            if (OutputGrid(pattern, x.Shape, sizes) is not { } grid) return null;
            string? Size(string axis)
            {
                for (int g = 0; g < pattern.Left.Count; g++)
                {
                    var group = pattern.Left[g];
                    if (!group.Axes.Contains(axis)) continue;
                    long divisor = 1;
                    foreach (var other in group.Axes.Where(a => a != axis))
                    {
                        var known = sizes.Where(kv => kv.Key == other).Select(kv => (long?)kv.Value).FirstOrDefault();
                        if (known is null) return null;
                        divisor *= known.Value;
                    }
                    return divisor == 1 ? $"{x.Tensor}.size({g})" : $"{x.Tensor}.size({g}) / {divisor.ToString(CultureInfo.InvariantCulture)}";
                }
                return null;
            }
            return Size(grid.First) is { } h && Size(grid.Second) is { } w ? (h, w) : ((string, string)?)null;
        }

        protected override Shape Trace(BlockArgs a, Shape x, Tracer t)
        {
            RearrangePattern pattern;
            try
            {
                pattern = Pattern(a);
            }
            catch (RearrangeException e)
            {
                throw new ShapeException(DiagnosticId.BadExpression, $"{t.PathOf("")}: pattern '{a.Text("pattern")}': {e.Message}");
            }
            if (!pattern.Left[0].Axes.Contains("b") || !pattern.Right[0].Axes.Contains("b"))
                Tracer.Fail(DiagnosticId.FlowMismatch, $"{t.PathOf("")}: the first dimension of both sides is the batch: name it b (it may be grouped, e.g. (b ph pw))");
            var known = Sizes(a).ToList();
            var gridAxes = GridAxes(pattern, x, known);
            if (gridAxes is { } bound)
            {
                known.Add(new KeyValuePair<string, long>(bound.First, x.Grid!.Height));
                known.Add(new KeyValuePair<string, long>(bound.Second, x.Grid.Width));
            }
            RearrangePlan plan;
            try
            {
                plan = pattern.Infer(new[] { (long)x.BatchFactor }.Concat(x.Dims.Select(d => (long)d)).ToList(), known);
            }
            catch (RearrangeException e)
            {
                throw new ShapeException(DiagnosticId.SpatialNotDivisible, $"{t.PathOf("")}: rearrange '{pattern}' of {x}: {e.Message}");
            }
            var spatialAxes = SpatialAxes(pattern, x, Sizes(a), gridAxes);
            int spatial = 0;
            for (int g = 1; g < pattern.Right.Count; g++)
                if (pattern.Right[g].Axes.Any(spatialAxes.Contains)) spatial |= 1 << (g - 1);
            var dims = plan.Output.Skip(1).Select(d => checked((int)d)).ToArray();
            Grid? grid = null;
            if (OutputGrid(pattern, x, Sizes(a)) is { } made)
            {
                int axis = Enumerable.Range(1, pattern.Right.Count - 1).First(g => pattern.Right[g].Axes.SequenceEqual(new[] { made.First, made.Second })) - 1;
                grid = new Grid(axis, (int)plan.SizeOf(made.First), (int)plan.SizeOf(made.Second), 0);
            }
            return Shape.Of(dims, spatial, grid, checked((int)plan.Output[0]));
        }

        private static RearrangePattern Pattern(BlockArgs a) => s_patterns.GetOrAdd(a.Text("pattern"), RearrangePattern.Parse);

        private static IReadOnlyList<KeyValuePair<string, long>> Sizes(BlockArgs a) =>
            a.Items.Where(i => i.Name != "pattern").Select(i => new KeyValuePair<string, long>(i.Name, (long)i.Value.Number)).ToList();

        /// <summary>The two axes of a left group that the input's token grid gives sizes to: a group of two unsized axes at
        /// the grid's dimension, e.g. (h w) of tokens that were a map.</summary>
        private static (string First, string Second)? GridAxes(RearrangePattern pattern, Shape x, IReadOnlyList<KeyValuePair<string, long>> sizes)
        {
            if (x.Grid is not { Prefix: 0 } grid || grid.Axis + 1 >= pattern.Left.Count) return null;
            var group = pattern.Left[grid.Axis + 1];
            if (group.Axes.Count != 2 || group.Axes.Any(axis => sizes.Any(kv => kv.Key == axis))) return null;
            return (group.Axes[0], group.Axes[1]);
        }

        /// <summary>The axes whose size depends on the input resolution: those left to be inferred from a dimension that does.</summary>
        private static HashSet<string> SpatialAxes(RearrangePattern pattern, Shape x, IReadOnlyList<KeyValuePair<string, long>> sizes, (string, string)? gridAxes)
        {
            var result = new HashSet<string>();
            for (int g = 1; g < pattern.Left.Count && g - 1 < x.Rank; g++)
            {
                if (!x.IsSpatial(g - 1)) continue;
                foreach (var axis in pattern.Left[g].Axes.Where(axis => sizes.All(kv => kv.Key != axis)))
                    result.Add(axis);
            }
            return result;
        }

        /// <summary>A right group of exactly two resolution-dependent axes, (h w): the tokens of a map, row-major.</summary>
        private static (string First, string Second)? OutputGrid(RearrangePattern pattern, Shape x, IReadOnlyList<KeyValuePair<string, long>> sizes)
        {
            var spatial = SpatialAxes(pattern, x, sizes, null);
            for (int g = 1; g < pattern.Right.Count; g++)
            {
                var group = pattern.Right[g];
                if (group.Axes.Count == 2 && spatial.Contains(group.Axes[0]) && spatial.Contains(group.Axes[1]))
                    return (group.Axes[0], group.Axes[1]);
            }
            return null;
        }

        private static string CSharpQuote(string text) => Text.CSharp.Quote(text);
    }

    /// <summary>Axis sizes of a rearrange, written as a C# array of (name, size) tuples.</summary>
    public sealed record AxisSizes((string Axis, long Size)[] Items);
}
