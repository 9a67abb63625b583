using System.Collections.Generic;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Shapes;
using ArchDsl.Dsl.Text;

namespace ArchDsl.Dsl.Blocks.Primitives
{
    /// <summary>F.interpolate of a map by a scale factor (nearest or bilinear); output size floor(size × scale).</summary>
    public sealed class InterpolateKind : BlockKind
    {
        public override string Name => "interpolate";
        public override string Summary => "resizes a map by a factor (F.interpolate)";

        public override IReadOnlyList<ParamDecl> Params { get; } = new[]
        {
            ParamDecl.Number("scale", "the factor applied to H and W", 1e-3, 1e3),
            Resampling.Mode(),
            Resampling.AlignCorners(),
        };

        public override string Inline(BlockArgs args, IReadOnlyList<Operand> operands) =>
            $"global::ArchDsl.Runtime.F.interpolate({operands[0].Tensor}, scale_factor: {CSharp.Literal(args.Number("scale"))}, " +
            $"mode: {CSharp.Literal(Resampling.ModeOf(args))}, align_corners: {CSharp.Literal(Resampling.AlignCornersOf(args))})";

        protected override Shape Trace(BlockArgs a, Shape x, Tracer t)
        {
            t.Require(x.Rank == 3, Diagnostics.DiagnosticId.FlowMismatch, $"{t.PathOf("")}: interpolate needs a map [B, C, H, W], not {x}");
            double scale = a.Number("scale");
            int h = (int)System.Math.Floor(x.Dims[1] * scale), w = (int)System.Math.Floor(x.Dims[2] * scale);
            t.Require(h >= 1 && w >= 1, Diagnostics.DiagnosticId.SpatialNotDivisible, $"{t.PathOf("")}: scaling {x} by {scale} leaves no pixels");
            var y = x.WithDims(new[] { x.Dims[0], h, w }, x.Spatial);
            t.Interpolate("", y.Elements, a.Text("mode"));
            return y;
        }
    }

    /// <summary>The resampling parameters interpolating kinds share.</summary>
    internal static class Resampling
    {
        public static ParamDecl Mode() =>
            ParamDecl.Choice("mode", "nearest or bilinear", "ArchDsl.Runtime.InterpolationMode", "nearest", "bilinear").WithDefault("nearest");

        public static ParamDecl AlignCorners() =>
            ParamDecl.Choice("align_corners", "bilinear only: true, false, or unset (PyTorch's default, as false)", "", "unset", "true", "false").WithDefault("unset");

        public static EnumMember ModeOf(BlockArgs a) => new EnumMember("ArchDsl.Runtime.InterpolationMode", ParamDecl.ToPascal(a.Text("mode")));

        public static bool? AlignCornersOf(BlockArgs a) => a.Text("align_corners") switch { "true" => true, "false" => false, _ => null };

        public static IEnumerable<ConstructorArg> Args(BlockArgs a)
        {
            yield return new ConstructorArg("mode", ModeOf(a));
            yield return new ConstructorArg("align_corners", AlignCornersOf(a));
        }
    }
}
