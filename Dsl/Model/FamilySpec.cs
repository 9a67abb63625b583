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
        EquatableArray<BlockSpec> Blocks,
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

    /// <summary>One row: a kind (a C# kind, a block written in YAML, or a combinator), where it sits in the state_dict,
    /// how often it repeats, its parameters, and which values it reads and names.</summary>
    /// <param name="Kind">A kind name, or a template such as <c>"{act}"</c> that a parameter fills in.</param>
    /// <param name="Name">The module's own state_dict path (<c>name:</c>, may hold <c>{i}</c>); "" registers a block's parts
    /// in the enclosing module.</param>
    /// <param name="Into">A container the row is appended to (<c>into:</c>), numbered 0, 1, … like nn.Sequential.</param>
    /// <param name="From">The values the row reads (<c>from:</c>); empty: the previous row's output.</param>
    /// <param name="As">Names for the row's outputs (<c>as:</c>), readable by later rows.</param>
    /// <param name="Combinator">The nested rows of a sequence, residual or parallel row.</param>
    /// <param name="Counts">A counter's documented deviation for this row (<c>counts: { lightvit_official: elements }</c>):
    /// the row's operations count this under that convention instead of its rule.</param>
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
        string? Source,
        EquatableArray<string> From,
        SourceSpan FromSpan,
        EquatableArray<string> As,
        CombinatorSpec? Combinator,
        EquatableArray<NamedValue> Counts);

    /// <summary>The nested rows of a combinator row: <c>sequence</c> (rows), <c>residual</c> (rows = the body, an optional
    /// shortcut, <c>connect</c>: whether the sum is taken) or <c>parallel</c> (branches merged by add, concat or mul).</summary>
    public sealed record CombinatorSpec(
        EquatableArray<RowSpec> Rows,
        EquatableArray<RowSpec> Shortcut,
        EquatableArray<BranchSpec> Branches,
        ValueSource? Connect,
        string Merge,
        SourceSpan MergeSpan,
        ValueSource? Dim);

    public sealed record BranchSpec(EquatableArray<RowSpec> Rows);

    /// <summary>A block written in YAML (<c>blocks:</c> of a family or a <c>*.blocks.yaml</c> library): typed parameters,
    /// its rows, and its output.</summary>
    /// <param name="Vars">Values derived from the parameters and <c>in_channels</c> (e.g. a hidden width), for the rows.</param>
    /// <param name="Sequential">Numbered like nn.Sequential: rows without a name take the next index.</param>
    /// <param name="Inputs">Names of the values it takes; one, <c>input</c>, unless stated.</param>
    /// <param name="Origin">The file that defines it ("" for the family file itself).</param>
    public sealed record BlockSpec(
        string Name,
        SourceSpan NameSpan,
        string Doc,
        EquatableArray<ParamSpec> Params,
        EquatableArray<NamedValue> Vars,
        EquatableArray<string> Inputs,
        bool Sequential,
        EquatableArray<RowSpec> Rows,
        string? Output,
        string Origin);

    /// <summary>A parameter of a YAML block: <c>{ type: int, default: 1, min: 1, max: 2, doc: … }</c>.</summary>
    public sealed record ParamSpec(
        string Name,
        SourceSpan Span,
        string Type,
        ValueSource? Default,
        double? Min,
        double? Max,
        EquatableArray<string> Choices,
        string Doc);

    /// <summary>A <c>*.blocks.yaml</c> file: blocks shared by several families.</summary>
    public sealed record LibrarySpec(string Name, string Doc, EquatableArray<BlockSpec> Blocks);

    /// <param name="InZoo">False for a configuration kept for tests (a golden case): generated and tested like the
    /// others, left out of the zoo report (<c>zoo: false</c>).</param>
    public sealed record VariantSpec(
        string Name,
        SourceSpan NameSpan,
        string ClassName,
        EquatableArray<NamedValue> Vars,
        EquatableArray<PublishedSpec> Published,
        string? Note,
        bool InZoo);
}
