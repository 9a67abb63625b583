using System.Collections.Generic;

namespace ArchDsl.Dsl.Blocks
{
    /// <summary>What a row's <c>kind:</c> names: a C# kind (<see cref="BlockKind"/>) or a block written in YAML
    /// (<see cref="BlockDefinition"/>). Both declare typed parameters.</summary>
    public interface IKind
    {
        string Name { get; }
        string Summary { get; }
        IReadOnlyList<ParamDecl> Params { get; }
    }
}
