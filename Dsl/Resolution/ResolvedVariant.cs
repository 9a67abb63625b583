using ArchDsl.Dsl.Graph;
using ArchDsl.Dsl.Util;

namespace ArchDsl.Dsl.Resolution
{
    /// <summary>A variant with every value evaluated and every block expanded: its input and its graph.</summary>
    /// <param name="Height">The declared input height (the resolution the published numbers refer to).</param>
    /// <param name="StageNames">The stage sections, in order (Root.StageValues holds their outputs).</param>
    public sealed record ResolvedVariant(
        string Family,
        string Variant,
        string ClassName,
        int InChannels,
        int Height,
        int Width,
        EquatableArray<string> StageNames,
        Instance Root);
}
