using System;
using System.Collections.Generic;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Shapes;

namespace ArchDsl.Dsl.Blocks.Layers
{
    /// <summary>A parameter-free activation module (relu, gelu, silu, sigmoid, hardswish): one kind per function.</summary>
    public sealed class ActivationKind : BlockKind
    {
        private readonly string _runtimeClass;

        public ActivationKind(string name, string runtimeClass)
        {
            Name = name;
            _runtimeClass = runtimeClass;
        }

        public override string Name { get; }
        public override string Summary => $"{Name} activation (torch.nn.{_runtimeClass})";
        public override string RuntimeType => "ArchDsl.Runtime." + _runtimeClass;
        public override IReadOnlyList<ParamDecl> Params { get; } = Array.Empty<ParamDecl>();
        protected override bool TakesInputChannels => false;

        /// <summary>Element-wise: any form.</summary>
        public override bool Accepts(ShapeForm form) => true;

        public override Shape Trace(BlockArgs a, Shape x, Tracer t)
        {
            t.Activation("", Name, x.Elements);
            return x;
        }
    }
}
