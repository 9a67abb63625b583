using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ArchDsl.Dsl.Model;

namespace ArchDsl.Dsl.Blocks
{
    /// <summary>A block written in YAML, as a kind rows can use: its parameters typed from <c>params:</c>, its rows
    /// expanded at every use.</summary>
    public sealed class BlockDefinition : IKind
    {
        public BlockDefinition(BlockSpec spec)
        {
            Spec = spec;
            Params = spec.Params.Select(Declare).ToList();
        }

        public BlockSpec Spec { get; }
        public string Name => Spec.Name;
        public string Summary => Spec.Doc;
        public IReadOnlyList<ParamDecl> Params { get; }

        /// <summary>"standard library cvnets.blocks.yaml", "Lib.blocks.yaml", or "" for a block of the family file.</summary>
        public string Origin => Spec.Origin;

        public static readonly string[] Types = { "int", "number", "bool", "text", "choice", "list" };

        private static ParamDecl Declare(ParamSpec p)
        {
            var type = p.Type switch
            {
                "int" => ParamType.Int,
                "number" => ParamType.Number,
                "bool" => ParamType.Bool,
                "choice" => ParamType.Choice,
                "list" => ParamType.IntList,
                _ => ParamType.Text,
            };
            double min = p.Min ?? (type == ParamType.Int ? 0 : type == ParamType.IntList ? -65536 : double.MinValue);
            double max = p.Max ?? (type == ParamType.Int || type == ParamType.IntList ? 1 << 24 : double.MaxValue);
            var decl = ParamDecl.Declared(p.Name, type, p.Doc, min, max, p.Choices.ToList());
            return p.Default is null ? decl : decl.WithDefault(p.Default);
        }

        public override string ToString() => Name;

        internal static string I(int v) => v.ToString(CultureInfo.InvariantCulture);
    }
}
