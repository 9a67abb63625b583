using System;
using System.Collections.Generic;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Shapes;

namespace ArchDsl.Dsl.Blocks.Primitives
{
    /// <summary>A parameter-free element-wise activation module, one kind per function (all share this class).</summary>
    public sealed class ActivationKind : BlockKind
    {
        private readonly string _runtimeClass;

        private ActivationKind(string name, string runtimeClass)
        {
            Name = name;
            _runtimeClass = runtimeClass;
        }

        /// <summary>relu, relu6, gelu (exact, erf), silu (swish), sigmoid, tanh, hardswish, hardsigmoid.</summary>
        public static IReadOnlyList<BlockKind> All { get; } = new BlockKind[]
        {
            new ActivationKind("relu", "ReLU"),
            new ActivationKind("relu6", "ReLU6"),
            new ActivationKind("gelu", "GELU"),
            new ActivationKind("silu", "SiLU"),
            new ActivationKind("sigmoid", "Sigmoid"),
            new ActivationKind("tanh", "Tanh"),
            new ActivationKind("hardswish", "Hardswish"),
            new ActivationKind("hardsigmoid", "Hardsigmoid"),
        };

        /// <summary>Every activation name, for parameters that choose one (plus "none").</summary>
        public static readonly string[] Names = { "relu", "relu6", "gelu", "silu", "sigmoid", "tanh", "hardswish", "hardsigmoid" };

        public override string Name { get; }
        public override string Summary => $"{Name} activation (torch.nn.{_runtimeClass})";
        public override string RuntimeType => "ArchDsl.Runtime." + _runtimeClass;
        public override IReadOnlyList<ParamDecl> Params { get; } = Array.Empty<ParamDecl>();
        protected override bool TakesInputChannels => false;

        protected override Shape Trace(BlockArgs a, Shape x, Tracer t)
        {
            t.Activation("", Name, x.Elements);
            return x;
        }
    }
}
