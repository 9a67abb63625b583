using ArchDsl.Dsl.Text;
using ArchDsl.Dsl.Util;

namespace ArchDsl.Dsl.Model
{
    /// <summary>An architecture family as written in its file: shared structure once, then the variants table.
    /// Values stay unevaluated until a variant is resolved.</summary>
    public sealed record FamilySpec(
        string Name,
        SourceSpan NameSpan,
        string Title,
        string? Paper,
        string? Code,
        InputSpec Input,
        EquatableArray<NamedValue> Vars,
        EquatableArray<KindDefaults> Defaults,
        EquatableArray<SectionSpec> Sections,
        EquatableArray<VariantSpec> Variants);

    /// <summary>The input image: channels and the declared resolution the published numbers refer to.</summary>
    public sealed record InputSpec(ValueSource Channels, ValueSource Height, ValueSource Width, SourceSpan Span);

    /// <summary>A named value: a variable of the family or of one variant, or a block parameter.</summary>
    public sealed record NamedValue(string Name, SourceSpan NameSpan, ValueSource Value);

    /// <summary>Parameter values shared by every row of one block kind (<c>defaults:</c>).</summary>
    public sealed record KindDefaults(string Kind, SourceSpan KindSpan, EquatableArray<NamedValue> Params);

    public enum SectionRole { Stem, Stage, Head }

    /// <summary>The stem, one stage, or the head: an ordered list of rows. Each stage's output is a feature map
    /// (what <c>ForwardFeatures</c> returns).</summary>
    public sealed record SectionSpec(SectionRole Role, string Name, SourceSpan Span, EquatableArray<RowSpec> Rows);

    /// <summary>One row of the table: a block kind, where it sits in the state_dict, how often it repeats, its parameters.</summary>
    /// <param name="Name">The module's own state_dict path (<c>name:</c>); "" registers the block's parts at the top level.</param>
    /// <param name="Into">A container the block is appended to (<c>into:</c>), numbered 0, 1, … like nn.Sequential.</param>
    public sealed record RowSpec(
        SourceSpan Span,
        string Kind,
        SourceSpan KindSpan,
        string? Name,
        string? Into,
        SourceSpan NameSpan,
        ValueSource? Repeat,
        ValueSource? When,
        ValueSource? In,
        EquatableArray<NamedValue> Params,
        string? Source);

    public sealed record VariantSpec(
        string Name,
        SourceSpan NameSpan,
        string ClassName,
        EquatableArray<NamedValue> Vars,
        EquatableArray<PublishedSpec> Published,
        string? Note);
}
