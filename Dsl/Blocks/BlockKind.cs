using System;
using System.Collections.Generic;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Shapes;

namespace ArchDsl.Dsl.Blocks
{
    /// <summary>
    /// A kind defined in C#: a primitive (conv2d, add, multi_head_attention, …) or a paper's genuinely new operation
    /// (LightViT's window attention with global tokens). It declares its parameters, describes its operations to a
    /// <see cref="Tracer"/> (which yields output shapes, parameters and MACs under every convention), and says how the
    /// generated code runs it: a runtime module (<see cref="RuntimeType"/>) or an inline tensor expression
    /// (<see cref="Inline"/>). Compositions of kinds are written in YAML (<see cref="BlockDefinition"/>). One file per kind.
    /// </summary>
    public abstract class BlockKind : IKind
    {
        /// <summary>The <c>kind:</c> in YAML.</summary>
        public abstract string Name { get; }

        public abstract string Summary { get; }

        public abstract IReadOnlyList<ParamDecl> Params { get; }

        /// <summary>Whether parameters besides <see cref="Params"/> are accepted, as integers (a rearrange's axis sizes).</summary>
        public virtual bool TakesAxisSizes => false;

        /// <summary>How many values the kind takes (<c>from:</c> in YAML); most take one.</summary>
        public virtual int MinInputs => 1;

        public virtual int MaxInputs => 1;

        /// <summary>How many values it gives (<c>as:</c> names them); most give one.</summary>
        public virtual int Outputs(BlockArgs args) => 1;

        /// <summary>Describes the operations for these inputs and returns the output shapes; throws
        /// <see cref="ShapeException"/> when the inputs do not fit. Single-input kinds override the other overload.</summary>
        public virtual IReadOnlyList<Shape> Trace(BlockArgs args, IReadOnlyList<Shape> inputs, Tracer t) =>
            new[] { Trace(args, inputs[0], t) };

        protected virtual Shape Trace(BlockArgs args, Shape input, Tracer t) =>
            throw new NotSupportedException($"{Name} must override one of the Trace methods");

        // ---- the generated code ----

        /// <summary>The runtime module class (namespace-qualified) the generated code constructs and calls, or null for
        /// a kind written as an inline tensor expression.</summary>
        public virtual string? RuntimeType => null;

        /// <summary>The runtime class for these arguments (a kind may pick among related classes).</summary>
        public virtual string? RuntimeClass(BlockArgs args) => RuntimeType;

        /// <summary>Arguments of the runtime constructor, in order: by default the input channels, then every parameter.</summary>
        public virtual IEnumerable<ConstructorArg> ConstructorArgs(BlockArgs args, IReadOnlyList<Shape> inputs)
        {
            if (TakesInputChannels)
                yield return new ConstructorArg(InputChannelsArgument, (long)inputs[0].Channels);
            foreach (var p in Params)
                yield return new ConstructorArg(p.CSharpName, ConstructorArg.From(p, args.Get(p.Name)));
        }

        /// <summary>Whether the runtime constructor's first argument is the input channel count.</summary>
        protected virtual bool TakesInputChannels => true;

        protected virtual string InputChannelsArgument => "in_channels";

        /// <summary>The C# expression of an inline kind over its operands; a kind with several outputs returns an
        /// expression of a tuple or array type that <see cref="OutputAccess"/> reads.</summary>
        public virtual string Inline(BlockArgs args, IReadOnlyList<Operand> operands) =>
            throw new NotSupportedException($"{Name} is a runtime module, not an inline expression");

        /// <summary>The call of the runtime module <paramref name="field"/> on the operands: <c>field.call(x)</c>, with a
        /// tuple for several operands.</summary>
        public virtual string Call(string field, BlockArgs args, IReadOnlyList<Operand> operands) =>
            operands.Count == 1 ? $"{field}.call({operands[0].Tensor})" : $"{field}.call(({string.Join(", ", System.Linq.Enumerable.Select(operands, o => o.Tensor))}))";

        /// <summary>C# expressions of the height and width of a grid the kind's output forms from its input (null when it
        /// forms none, or keeps an input's).</summary>
        public virtual (string Height, string Width)? GridOf(BlockArgs args, IReadOnlyList<Operand> operands) => null;

        /// <summary>How output <paramref name="index"/> is read from the value of a kind with several outputs.</summary>
        public virtual string OutputAccess(string value, int index) => $"{value}.Item{index + 1}";

        /// <summary>A kind whose runtime module holds one learnable tensor (a class token, a layer scale): the row's name is
        /// that tensor's state_dict key, not a module path, as torchvision and timm register such tensors directly.</summary>
        public virtual bool OwnsTensor => false;

        /// <summary>Whether the runtime module takes and returns tokens with their grid (ArchDsl.Runtime.TokenState)
        /// instead of a tensor: kinds that need the H×W layout of the tokens they receive.</summary>
        public virtual bool UsesGrid => false;

        public override string ToString() => Name;
    }
}
