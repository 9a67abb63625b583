using System;
using System.Collections.Generic;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Shapes;

namespace ArchDsl.Dsl.Blocks.Primitives
{
    /// <summary>torch.nn.Identity: holds a place (an nn.Sequential index, an optional layer switched off).</summary>
    public sealed class IdentityKind : BlockKind
    {
        public override string Name => "identity";
        public override string Summary => "the identity (torch.nn.Identity)";
        public override string RuntimeType => "ArchDsl.Runtime.Identity";
        public override IReadOnlyList<ParamDecl> Params { get; } = Array.Empty<ParamDecl>();
        protected override bool TakesInputChannels => false;

        protected override Shape Trace(BlockArgs a, Shape x, Tracer t) => x;
    }
}
