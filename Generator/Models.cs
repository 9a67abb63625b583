using ArchDsl.Dsl.Util;

namespace ArchDsl.Generator
{
    // Pipeline models: records of strings, numbers and EquatableArrays only (no symbols, syntax or Location),
    // so the incremental pipeline can compare them and skip work when an input did not change.

    /// <summary>An architecture file as the compiler passes it: its path and text.</summary>
    internal sealed record ArchSourceFile(string Path, string Text)
    {
        public string FileName => System.IO.Path.GetFileName(Path);
    }

    /// <summary>What the analysis of one file yields: a model to emit (null when the file has errors) and its diagnostics.</summary>
    internal sealed record FamilyResult(FamilyModel? Model, EquatableArray<DiagnosticInfo> Diagnostics);

    internal sealed record FamilyModel(
        string Namespace,
        string Name,
        string Path,
        string FileName,
        string Title,
        string? Paper,
        string? Code,
        string SourceText,
        EquatableArray<VariantModel> Variants);

    internal sealed record VariantModel(
        string ClassName,
        string DisplayName,
        string Variables,
        int InChannels,
        int Height,
        int Width,
        long Parameters,
        string ResolutionRule,
        EquatableArray<MacsModel> Macs,
        EquatableArray<StageModel> Stages,
        EquatableArray<RowModel> Rows,
        EquatableArray<PublishedModel> Published,
        EquatableArray<string> Assumptions);

    internal sealed record MacsModel(string Convention, string ConstantName, long Value, string Description);

    internal sealed record StageModel(string Name, int Index, string ShapeText, string ShapeLiteral);

    /// <summary>One row of the file in one variant: a field holding its instances.</summary>
    /// <param name="StageIndex">The stage whose output this row ends (−1 when it does not end a stage).</param>
    /// <param name="InStages">Whether the row belongs to the stem or a stage (ForwardFeatures runs those).</param>
    internal sealed record RowModel(
        string Field,
        string RuntimeType,
        string Kind,
        bool IsArray,
        bool InStages,
        int StageIndex,
        EquatableArray<InstanceModel> Instances);

    /// <param name="Path">The state_dict path; "" registers the module's parts at the top level.</param>
    /// <param name="Registered">False for a parameter-free block the file did not name: it is called, not part of the state_dict tree.</param>
    internal sealed record InstanceModel(string Path, bool Registered, string Arguments, string InputShape, string OutputShape);

    internal sealed record PublishedModel(string Metric, string Printed, string Analytic, string Convention, string Source, string Verdict);

    /// <summary>A diagnostic located in an architecture file, carried as plain data.</summary>
    internal sealed record DiagnosticInfo(
        string Id,
        string Title,
        int Severity,
        string Message,
        string Path,
        int Start,
        int Length,
        int StartLine,
        int StartColumn,
        int EndLine,
        int EndColumn);

    internal sealed record EmitResult(string? HintName, string? Text, DiagnosticInfo? Error);
}
