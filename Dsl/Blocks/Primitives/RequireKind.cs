using System.Collections.Generic;
using System.Linq;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Diagnostics;
using ArchDsl.Dsl.Shapes;

namespace ArchDsl.Dsl.Blocks.Primitives
{
    /// <summary>A check, not an operation: a condition a block's parameters must meet, with the message (and diagnostic
    /// id) a file that breaks it gets, where the block is used. The value passes unchanged.</summary>
    public sealed class RequireKind : BlockKind
    {
        public override string Name => "require";
        public override string Summary => "a condition on the parameters, reported with its message where it fails (a check; no operation)";

        public override IReadOnlyList<ParamDecl> Params { get; } = new[]
        {
            ParamDecl.Bool("condition", "what must hold (an expression over the block's parameters and in_channels)"),
            ParamDecl.Text("message", "what the diagnostic says when it does not; {expression} holes name the numbers"),
            ParamDecl.Choice("id", "the diagnostic: ADSL003 (a value of the wrong type), ADSL008 (does not divide), ADSL009 (does not fit the map), ADSL010 (flow), ADSL014 (not an integer)",
                "", "ADSL003", "ADSL008", "ADSL009", "ADSL010", "ADSL014").WithDefault("ADSL010"),
        };

        public override string Inline(BlockArgs args, IReadOnlyList<Operand> operands) => operands[0].Tensor;

        protected override Shape Trace(BlockArgs a, Shape x, Tracer t)
        {
            if (!a.Bool("condition"))
                Tracer.Fail(DiagnosticId.All.First(d => d.Id == a.Text("id")), $"{t.PathOf("")}: {a.Text("message")}");
            return x;
        }
    }
}
