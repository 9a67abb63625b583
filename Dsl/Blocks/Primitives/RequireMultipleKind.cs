using System.Collections.Generic;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Diagnostics;
using ArchDsl.Dsl.Shapes;

namespace ArchDsl.Dsl.Blocks.Primitives
{
    /// <summary>A check, not an operation: the map's H and W must be multiples of a size (an input size the official code
    /// assumes, e.g. LightViT's patch grid of H/8 × W/8). The value passes unchanged; other sizes are rejected at
    /// generation time and before running.</summary>
    public sealed class RequireMultipleKind : BlockKind
    {
        public override string Name => "require_multiple";
        public override string Summary => "rejects maps whose H or W is not a multiple of a size (a check; no operation)";

        public override IReadOnlyList<ParamDecl> Params { get; } = new[]
        {
            ParamDecl.Int("multiple", "H and W must be multiples of it", 1, 4096),
            ParamDecl.Text("reason", "why, for the message").WithDefault(""),
        };

        public override string Inline(BlockArgs args, IReadOnlyList<Operand> operands) => operands[0].Tensor;

        protected override Shape Trace(BlockArgs a, Shape x, Tracer t)
        {
            int m = a.Int("multiple");
            t.Require(x.Rank == 3, DiagnosticId.FlowMismatch, $"{t.PathOf("")}: require_multiple checks a map [B, C, H, W], not {x}");
            if (x.Dims[1] % m != 0 || x.Dims[2] % m != 0)
                Tracer.Fail(DiagnosticId.SpatialNotDivisible,
                    $"{t.PathOf("")}: H and W must be multiples of {m}{(a.Text("reason").Length > 0 ? $" ({a.Text("reason")})" : "")}, not {x.Dims[1]}×{x.Dims[2]}");
            return x;
        }
    }
}
