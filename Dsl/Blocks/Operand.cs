using ArchDsl.Dsl.Shapes;

namespace ArchDsl.Dsl.Blocks
{
    /// <summary>A value as generated code holds it: the C# expression of its tensor, its shape at the declared resolution,
    /// and, for tokens with a grid, C# expressions of the grid's height and width at run time.</summary>
    public sealed record Operand(string Tensor, Shape Shape, string? GridHeight = null, string? GridWidth = null);
}
