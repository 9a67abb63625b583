using ArchDsl.Dsl.Util;

namespace ArchDsl.Generator
{
    // Pipeline models: records of strings, numbers and EquatableArrays only (no symbols, syntax or Location),
    // so the incremental pipeline can compare them and skip work when an input did not change.

    /// <summary>An architecture file or a block library as the compiler passes it: its path and text.</summary>
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
        EquatableArray<ArchSourceFile> Libraries,
        EquatableArray<VariantModel> Variants,
        EquatableArray<ClassModel> Blocks);

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
        EquatableArray<PublishedModel> Published,
        EquatableArray<string> Assumptions,
        EquatableArray<string> Fields,
        EquatableArray<string> Constructor,
        EquatableArray<string> Forward,
        EquatableArray<string> Features);

    internal sealed record MacsModel(string Convention, string ConstantName, long Value, string Description);

    internal sealed record StageModel(string Name, int Index, string ShapeText, string ShapeLiteral);

    /// <summary>The class of the uses of a YAML block that share its code: its constructor's parameters and its members as lines of C#.</summary>
    internal sealed record ClassModel(
        string Name,
        string Kind,
        string Doc,
        string BaseType,
        EquatableArray<string> Parameters,
        EquatableArray<string> Fields,
        EquatableArray<string> Constructor,
        EquatableArray<string> Forward);

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
