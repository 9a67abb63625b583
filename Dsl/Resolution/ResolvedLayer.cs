using ArchDsl.Dsl.Blocks;
using ArchDsl.Dsl.Model;
using ArchDsl.Dsl.Text;
using ArchDsl.Dsl.Util;

namespace ArchDsl.Dsl.Resolution
{
    /// <summary>One block instance of a variant, with its evaluated parameters and its state_dict path.</summary>
    /// <param name="Section">Index of the stem/stage/head section in the file.</param>
    /// <param name="Row">Index of the row in the whole file (the generated field of its instances).</param>
    /// <param name="Instance">0 … repeat−1.</param>
    /// <param name="Path">The module path; "" for a block whose parts are registered at the top level.</param>
    /// <param name="ExpectedIn">Input channels the row declares with <c>in:</c>, checked against the flow.</param>
    /// <param name="AutoNamed">The row gave neither name nor into: its path is derived from its section.</param>
    public sealed record ResolvedLayer(
        int Section,
        SectionRole Role,
        string SectionName,
        int Row,
        int Instance,
        int Repeat,
        string Kind,
        string Path,
        BlockArgs Args,
        int? ExpectedIn,
        bool AutoNamed,
        SourceSpan Span)
    {
        public BlockKind BlockKind => BlockCatalogue.Find(Kind)!;
    }

    /// <summary>A variant with every value evaluated: the input and the list of block instances in order.</summary>
    public sealed record ResolvedVariant(
        string Family,
        string Variant,
        string ClassName,
        int InChannels,
        int Height,
        int Width,
        EquatableArray<string> Sections,
        EquatableArray<ResolvedLayer> Layers);
}
