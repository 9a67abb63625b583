using System;
using System.Collections.Generic;
using System.Linq;
using ArchDsl.Dsl.Blocks;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Diagnostics;
using ArchDsl.Dsl.Expressions;
using ArchDsl.Dsl.Graph;
using ArchDsl.Dsl.Model;
using ArchDsl.Dsl.Reading;
using ArchDsl.Dsl.Resolution;

namespace ArchDsl.Dsl.Analysis
{
    /// <summary>
    /// Everything ArchDsl knows about one architecture file: read, every variant resolved and traced at the declared
    /// resolution, published numbers checked, and all findings as located diagnostics. The single entry point used
    /// by the generator, the command line and the tests.
    /// </summary>
    public sealed class FamilyAnalysis
    {
        private FamilyAnalysis(Inputs inputs, FamilySpec? spec, IReadOnlyList<Diagnostic> diagnostics, IReadOnlyList<VariantAnalysis> variants)
        {
            _inputs = inputs;
            Spec = spec;
            Diagnostics = diagnostics;
            Variants = variants;
        }

        /// <summary>What an analysis ran on, kept so that it can run again with other variable values.</summary>
        private sealed record Inputs(string Text, IReadOnlyDictionary<string, Value> Overrides, IReadOnlyList<(string Name, string Text)> Libraries);

        private readonly Inputs _inputs;

        /// <summary>The variable values that replaced the file's (none for the file as written).</summary>
        public IReadOnlyDictionary<string, Value> Overrides => _inputs.Overrides;

        /// <summary>The same file analysed again with <paramref name="overrides"/> replacing the file's variable values
        /// (a model created with options: counts and shapes follow the new values).</summary>
        public FamilyAnalysis With(IReadOnlyDictionary<string, Value> overrides) => Run(_inputs.Text, overrides, _inputs.Libraries);

        /// <summary>The text of the architecture file.</summary>
        public string Text => _inputs.Text;

        /// <summary>The block libraries the file was analysed with (name and text), besides the standard one.</summary>
        public IReadOnlyList<(string Name, string Text)> Libraries => _inputs.Libraries;

        public FamilySpec? Spec { get; }
        public IReadOnlyList<Diagnostic> Diagnostics { get; }
        public IReadOnlyList<VariantAnalysis> Variants { get; }
        public bool HasErrors => Diagnostics.Any(d => d.Severity == Severity.Error);

        public VariantAnalysis Variant(string name) =>
            Variants.FirstOrDefault(v => v.Name == name || v.Spec.ClassName == name)
            ?? throw new ArgumentException($"no variant '{name}' in {Spec?.Name}; variants: {string.Join(", ", Variants.Select(v => v.Name))}");

        /// <param name="overrides">Variable values replacing the file's (e.g. distillation = false).</param>
        /// <param name="libraries">The project's block libraries (<c>*.blocks.yaml</c>: name and text) besides the standard one.</param>
        public static FamilyAnalysis Run(string text, IReadOnlyDictionary<string, Value>? overrides = null,
            IReadOnlyList<(string Name, string Text)>? libraries = null)
        {
            var inputs = new Inputs(text, overrides ?? new Dictionary<string, Value>(), libraries ?? Array.Empty<(string, string)>());
            var diagnostics = new DiagnosticBag();
            var spec = FamilyReader.Read(text, diagnostics);
            if (spec is null || diagnostics.HasErrors)
                return new FamilyAnalysis(inputs, spec, diagnostics.Items, Array.Empty<VariantAnalysis>());
            // a library's own mistakes are reported on the library file; here only its well-formed blocks count
            var ignored = new DiagnosticBag();
            var libraryBlocks = inputs.Libraries
                .Select(l => LibraryReader.Read(l.Text, l.Name, ignored)).Where(l => l != null).SelectMany(l => l!.Blocks);
            var catalogue = KindCatalogue.Builtin.With(libraryBlocks, null).With(spec.Blocks, diagnostics);
            KindChecker.CheckFamily(spec, catalogue, diagnostics);
            if (diagnostics.HasErrors)
                return new FamilyAnalysis(inputs, spec, diagnostics.Items, Array.Empty<VariantAnalysis>());

            var variants = new List<VariantAnalysis>();
            var perVariant = new List<(VariantSpec Variant, IReadOnlyList<Diagnostic> Items)>();
            var budget = new OperationBudget();
            foreach (var variant in spec.Variants)
            {
                var bag = new DiagnosticBag();
                var analysis = Analyze(spec, variant, catalogue, bag, overrides, budget);
                if (analysis != null) variants.Add(analysis);
                perVariant.Add((variant, bag.Items));
            }
            diagnostics.AddRange(MergeAcrossVariants(spec, perVariant));
            return new FamilyAnalysis(inputs, spec, diagnostics.Items, diagnostics.HasErrors ? Array.Empty<VariantAnalysis>() : variants);
        }

        private static VariantAnalysis? Analyze(FamilySpec spec, VariantSpec variant, KindCatalogue catalogue, DiagnosticBag bag,
            IReadOnlyDictionary<string, Value>? overrides, OperationBudget budget)
        {
            var resolved = Expander.Expand(spec, variant, catalogue, bag, overrides, budget);
            if (resolved is null) return null;
            var trace = NetworkTrace.Run(resolved, resolved.Height, resolved.Width, record: true);
            if (trace.Failure is { } failure)
            {
                bag.Add(failure.Id, failure.Top.Span, $"at {resolved.Height}×{resolved.Width}: {failure.Message}");
                return null;
            }
            var checks = new List<PublishedCheck>();
            foreach (var published in variant.Published)
            {
                var check = Check(published, resolved, trace, bag);
                if (check is null) continue;
                checks.Add(check);
                if (!check.WithinTolerance)
                {
                    if (published.KnownGap is { } reason)
                        bag.Add(DiagnosticId.KnownGap, published.Span, $"{check.Describe()}; known gap: {reason}");
                    else
                        bag.Add(DiagnosticId.PublishedMismatch, published.Span, check.Describe());
                }
            }
            return new VariantAnalysis(spec, variant, resolved, trace, checks);
        }

        private static PublishedCheck? Check(PublishedSpec published, ResolvedVariant resolved, NetworkTrace trace, DiagnosticBag bag)
        {
            switch (published.Metric)
            {
                case PublishedMetric.Params:
                    return new PublishedCheck(published, trace.Parameters, "", trace.Height);
                case PublishedMetric.Macs when published.Convention != null && published.Resolution is int at:
                    var traceAt = at == trace.Height && at == trace.Width ? trace : NetworkTrace.Run(resolved, at, at);
                    if (traceAt.Failure is { } failure)
                    {
                        bag.Add(failure.Id, published.Span, $"the published MACs are at {at}×{at}, where {failure.Message}");
                        return null;
                    }
                    return new PublishedCheck(published, traceAt.Macs(CountingConvention.Find(published.Convention)!), published.Convention, at);
                default:
                    return null;
            }
        }

        /// <summary>The same finding in several variants is reported once, naming the variants unless it is all of them.</summary>
        private static IEnumerable<Diagnostic> MergeAcrossVariants(FamilySpec spec, List<(VariantSpec Variant, IReadOnlyList<Diagnostic> Items)> perVariant)
        {
            var groups = perVariant
                .SelectMany(p => p.Items.Select(d => (p.Variant, Diagnostic: d)))
                .GroupBy(x => x.Diagnostic);
            foreach (var group in groups)
            {
                var names = group.Select(g => g.Variant.Name).Distinct().ToList();
                bool everyVariant = names.Count == spec.Variants.Count && spec.Variants.Count > 1;
                bool ownRow = group.All(g => g.Diagnostic.Span.Start >= g.Variant.NameSpan.Start && IsWithinVariant(spec, g.Variant, g.Diagnostic));
                yield return everyVariant || ownRow
                    ? group.Key
                    : group.Key with { Message = $"{spec.Name}.{string.Join(", ", names)}: {group.Key.Message}" };
            }
        }

        /// <summary>A diagnostic inside a variant's own row needs no variant tag.</summary>
        private static bool IsWithinVariant(FamilySpec spec, VariantSpec variant, Diagnostic diagnostic)
        {
            int index = spec.Variants.ToList().IndexOf(variant);
            int next = index + 1 < spec.Variants.Count ? spec.Variants[index + 1].NameSpan.Start : int.MaxValue;
            return diagnostic.Span.Start < next;
        }
    }
}
