using System.Linq;
using ArchDsl.Dsl.Expressions;
using ArchDsl.Dsl.Text;

namespace ArchDsl.Dsl.Blocks
{
    /// <summary>A named argument of a runtime constructor: a long, double, bool, string, long[] or
    /// <see cref="EnumMember"/>, written as C# by <see cref="CSharp.Literal(object)"/>.</summary>
    public sealed record ConstructorArg(string Name, object? Value)
    {
        public string Literal => CSharp.Literal(Value);

        /// <summary>The runtime value of a block parameter of this declaration.</summary>
        public static object From(ParamDecl decl, Value value) => decl.Type switch
        {
            ParamType.Int => (long)System.Math.Round(value.Number),
            ParamType.Number => value.Number,
            ParamType.Bool => value.Bool,
            ParamType.Choice => new EnumMember(decl.EnumType!, ParamDecl.ToPascal(value.Text)),
            ParamType.IntList => value.Items.Select(i => (long)System.Math.Round(i.Number)).ToArray(),
            _ => value.Text,
        };
    }

    /// <summary>A member of a runtime enum, e.g. ArchDsl.Runtime.Blocks.XfaContext.Mean.</summary>
    public sealed record EnumMember(string EnumType, string Member);
}
