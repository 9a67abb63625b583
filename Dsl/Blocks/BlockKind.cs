using System.Collections.Generic;
using System.Globalization;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Expressions;
using ArchDsl.Dsl.Shapes;

namespace ArchDsl.Dsl.Blocks
{
    /// <summary>
    /// One kind of row in an architecture file (a layer or a paper's block). It declares its parameters, describes
    /// its operations to a <see cref="Tracer"/> (which yields its output shape, parameters and MACs), and names the
    /// runtime class and constructor arguments the generated module uses. One file per kind.
    /// </summary>
    public abstract class BlockKind
    {
        /// <summary>The <c>kind:</c> in YAML.</summary>
        public abstract string Name { get; }

        public abstract string Summary { get; }

        /// <summary>The runtime class (namespace-qualified) the generated code instantiates.</summary>
        public abstract string RuntimeType { get; }

        public abstract IReadOnlyList<ParamDecl> Params { get; }

        /// <summary>The form of input the kind takes.</summary>
        public virtual ShapeForm Input => ShapeForm.Image;

        public virtual bool Accepts(ShapeForm form) => form == Input;

        /// <summary>Describes the block's operations for one input shape and returns its output shape.
        /// Throws <see cref="ShapeException"/> when the input does not fit.</summary>
        public abstract Shape Trace(BlockArgs args, Shape input, Tracer t);

        /// <summary>Arguments of the runtime constructor, in order: by default the input channels, then every parameter.</summary>
        public virtual IEnumerable<ConstructorArg> ConstructorArgs(BlockArgs args, Shape input)
        {
            if (TakesInputChannels)
                yield return new ConstructorArg(InputChannelsArgument, Literal(input.Channels));
            foreach (var p in Params)
                yield return new ConstructorArg(p.CSharpName, Literal(p, args.Get(p.Name)));
        }

        /// <summary>Whether the runtime constructor's first argument is the input channel count.</summary>
        protected virtual bool TakesInputChannels => true;

        protected virtual string InputChannelsArgument => "in_channels";

        public override string ToString() => Name;

        public static string Literal(long value) => value.ToString(CultureInfo.InvariantCulture);

        public static string Literal(double value)
        {
            var text = value.ToString("R", CultureInfo.InvariantCulture);
            return text.Contains(".") || text.Contains("E") ? text : text + ".0";
        }

        public static string Literal(ParamDecl decl, Value value) => decl.Type switch
        {
            ParamType.Int => Literal((long)System.Math.Round(value.Number)),
            ParamType.Number => Literal(value.Number),
            ParamType.Bool => value.Bool ? "true" : "false",
            ParamType.Choice => $"global::{decl.EnumType}.{ParamDecl.ToPascal(value.Text)}",
            _ => "@\"" + value.Text.Replace("\"", "\"\"") + "\"",
        };
    }

    /// <summary>A named argument of a runtime constructor call, as C# source.</summary>
    public sealed record ConstructorArg(string Name, string Literal);
}
