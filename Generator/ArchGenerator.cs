using System;
using System.Collections.Concurrent;
using System.Linq;
using ArchDsl.Dsl.Reading;
using ArchDsl.Dsl.Util;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace ArchDsl.Generator
{
    /// <summary>
    /// Turns every <c>*.arch.yaml</c> / <c>*.arch.json</c> AdditionalFile into typed module classes, one file per family.
    /// All meaning lives in ArchDsl.Dsl; this class only wires the incremental pipeline:
    /// file → analysis (model + diagnostics) → emitted source, with diagnostics as a separate output.
    /// </summary>
    [Generator(LanguageNames.CSharp)]
    public sealed class ArchGenerator : IIncrementalGenerator
    {
        // tracking names, used by tests to assert what re-ran
        public const string SourceStep = "ArchSource";
        public const string AnalysisStep = "ArchAnalysis";
        public const string EmitStep = "ArchEmit";
        public const string DiagnosticsStep = "ArchDiagnostics";
        public const string LibrarySourceStep = "ArchLibrarySource";
        public const string LibraryDiagnosticsStep = "ArchLibraryDiagnostics";

        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            var rootNamespace = context.AnalyzerConfigOptionsProvider
                .Select((options, _) => options.GlobalOptions.TryGetValue("build_property.RootNamespace", out var ns) && ns.Length > 0
                    ? ns : "ArchDsl.Architectures");

            var files = context.AdditionalTextsProvider
                .Where(file => IsArchitectureFile(file.Path))
                .Select((file, ct) => new ArchSourceFile(file.Path, file.GetText(ct)?.ToString() ?? ""))
                .WithTrackingName(SourceStep);

            // the project's block libraries (*.blocks.yaml): every family sees all of them
            var libraries = context.AdditionalTextsProvider
                .Where(file => LibraryReader.IsLibraryFile(file.Path))
                .Select((file, ct) => new ArchSourceFile(file.Path, file.GetText(ct)?.ToString() ?? ""))
                .WithTrackingName(LibrarySourceStep)
                .Collect()
                .Select((all, _) => all.OrderBy(f => f.Path, StringComparer.Ordinal).ToEquatableArray());

            var results = files
                .Combine(rootNamespace)
                .Combine(libraries)
                .Select((input, ct) => FamilyModelBuilder.Build(input.Left.Left, input.Left.Right, input.Right))
                .WithTrackingName(AnalysisStep);

            // a library's own mistakes are reported on the library file
            var libraryDiagnostics = libraries
                .Select((all, _) => LibraryDiagnostics.Of(all))
                .WithTrackingName(LibraryDiagnosticsStep);
            context.RegisterSourceOutput(libraryDiagnostics, static (spc, items) =>
            {
                foreach (var item in items)
                    spc.ReportDiagnostic(ToDiagnostic(item));
            });

            var sources = results
                .Select((result, _) => result.Model)
                .Where(model => model != null)
                .Select((model, _) => Emitter.TryEmit(model!))
                .WithTrackingName(EmitStep);

            var diagnostics = results
                .Select((result, _) => result.Diagnostics)
                .WithTrackingName(DiagnosticsStep);

            context.RegisterSourceOutput(sources, static (spc, emitted) =>
            {
                if (emitted.Error is { } error)
                {
                    spc.ReportDiagnostic(ToDiagnostic(error));
                    return;
                }
                try
                {
                    spc.AddSource(emitted.HintName!, SourceText.From(emitted.Text!, System.Text.Encoding.UTF8));
                }
                catch (ArgumentException e)
                {
                    // two files declaring the same family would generate the same file
                    spc.ReportDiagnostic(Diagnostic.Create(Descriptors.For("ADSL012", "Duplicate key or name", 2), Location.None,
                        $"the family of '{emitted.HintName}' is declared by more than one architecture file ({e.Message})"));
                }
            });

            context.RegisterSourceOutput(diagnostics, static (spc, items) =>
            {
                foreach (var item in items)
                    spc.ReportDiagnostic(ToDiagnostic(item));
            });
        }

        public static bool IsArchitectureFile(string path) =>
            path.EndsWith(".arch.yaml", StringComparison.OrdinalIgnoreCase)
            || path.EndsWith(".arch.yml", StringComparison.OrdinalIgnoreCase)
            || path.EndsWith(".arch.json", StringComparison.OrdinalIgnoreCase);

        internal static Diagnostic ToDiagnostic(DiagnosticInfo info)
        {
            var location = Location.Create(info.Path, new TextSpan(info.Start, info.Length),
                new LinePositionSpan(new LinePosition(info.StartLine, info.StartColumn), new LinePosition(info.EndLine, info.EndColumn)));
            return Diagnostic.Create(Descriptors.For(info.Id, info.Title, info.Severity), location, info.Message);
        }
    }

    internal static class Descriptors
    {
        private static readonly ConcurrentDictionary<string, DiagnosticDescriptor> s_cache = new ConcurrentDictionary<string, DiagnosticDescriptor>();

        /// <param name="severity">0 info, 1 warning, 2 error (ArchDsl.Dsl.Diagnostics.Severity).</param>
        public static DiagnosticDescriptor For(string id, string title, int severity) =>
            s_cache.GetOrAdd(id + "/" + severity, _ => new DiagnosticDescriptor(id, title, "{0}", "ArchDsl",
                severity switch { 0 => DiagnosticSeverity.Info, 1 => DiagnosticSeverity.Warning, _ => DiagnosticSeverity.Error },
                isEnabledByDefault: true));
    }
}
