using System;
using System.Collections.Generic;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Shapes;

namespace ArchDsl.Dsl.Blocks.Primitives
{
    /// <summary>Tokens [B, H·W, C] that were a map back to [B, C, H, W], using the grid they remember (extra tokens
    /// must be split off first).</summary>
    public sealed class TokensToMapKind : BlockKind
    {
        public override string Name => "tokens_to_map";
        public override string Summary => "[B, H·W, C] tokens → [B, C, H, W], by their grid";
        public override IReadOnlyList<ParamDecl> Params { get; } = Array.Empty<ParamDecl>();

        public override string Inline(BlockArgs args, IReadOnlyList<Operand> operands)
        {
            var x = operands[0];
            if (x.GridHeight is null)
                throw new InvalidOperationException("tokens_to_map needs the grid of its tokens at run time");
            return $"{x.Tensor}.transpose(1, 2).reshape({x.Tensor}.size(0), {x.Shape.Last.ToString(System.Globalization.CultureInfo.InvariantCulture)}, {x.GridHeight}, {x.GridWidth})";
        }

        protected override Shape Trace(BlockArgs a, Shape x, Tracer t)
        {
            t.Require(x.Rank == 2 && x.Grid is { Axis: 0 }, Diagnostics.DiagnosticId.FlowMismatch,
                $"{t.PathOf("")}: tokens_to_map needs tokens [B, N, C] that remember the map they came from (map_to_tokens, or a rearrange to (h w)), not {x}");
            var g = x.Grid!;
            t.Require(g.Prefix == 0, Diagnostics.DiagnosticId.FlowMismatch,
                $"{t.PathOf("")}: {x} has {g.Prefix} extra token(s) before the {g.Height}×{g.Width} map: split them off first");
            return Shape.Of(new[] { x.Dims[1], g.Height, g.Width }, x.IsSpatial(0) ? 0b110 : 0, null, x.BatchFactor);
        }
    }
}
