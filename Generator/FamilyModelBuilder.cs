using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ArchDsl.Dsl.Analysis;
using ArchDsl.Dsl.Blocks;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Diagnostics;
using ArchDsl.Dsl.Graph;
using ArchDsl.Dsl.Model;
using ArchDsl.Dsl.Shapes;
using ArchDsl.Dsl.Util;

namespace ArchDsl.Generator
{
    /// <summary>Runs the Dsl on one file and keeps what emission needs, as plain equatable data.</summary>
    internal static class FamilyModelBuilder
    {
        /// <param name="overrides">Variable values replacing the file's: a model created with options at run time
        /// (ArchDsl.Runtime's VariantCompiler); none in the compiler.</param>
        public static FamilyResult Build(ArchSourceFile file, string rootNamespace, EquatableArray<ArchSourceFile> libraries,
            IReadOnlyDictionary<string, ArchDsl.Dsl.Expressions.Value>? overrides = null)
        {
            try
            {
                var analysis = FamilyAnalysis.Run(file.Text, overrides, libraries.Select(l => (l.FileName, l.Text)).ToList());
                var diagnostics = analysis.Diagnostics.Select(d => Info(d, file.Path)).ToEquatableArray();
                if (analysis.HasErrors || analysis.Spec is null)
                    return new FamilyResult(null, diagnostics);
                var spec = analysis.Spec;
                var graphs = new GraphEmitter(instance => analysis.Variants.Select(v => v.Trace).First(t => t.Records(instance)).ValuesOf(instance));
                var variants = analysis.Variants.Select(v => Variant(v, graphs)).ToEquatableArray();
                var model = new FamilyModel(rootNamespace, spec.Name, file.Path, file.FileName, spec.Title, spec.Paper, spec.Code, file.Text,
                    libraries, variants, graphs.Classes.ToEquatableArray());
                return new FamilyResult(model, diagnostics);
            }
            catch (Exception e)
            {
                // the generator never throws: a bug in ArchDsl becomes a diagnostic at the file (not CS8785)
                var internalError = new Diagnostic(DiagnosticId.Internal.Id, Severity.Error,
                    $"ArchDsl failed on this file: {e.GetType().Name}: {e.Message}", default);
                return new FamilyResult(null, new[] { Info(internalError, file.Path) }.ToEquatableArray());
            }
        }

        private static VariantModel Variant(VariantAnalysis v, GraphEmitter graphs)
        {
            var trace = v.Trace;
            var macs = CountingConvention.All
                .Where(c => c.AppliesTo(trace.Entries))
                .Select(c => new MacsModel(c.Name, ConstantName(c.Name), trace.Macs(c), c.Description))
                .ToEquatableArray();
            var stages = trace.Stages
                .Select(s => new StageModel(s.Name, s.Index, s.Output.ToString(), ShapeLiteral(s.Output)))
                .ToEquatableArray();
            var published = v.Checks.Select(Published)
                .Concat(v.Spec.Published.Where(p => p.Metric == PublishedMetric.Top1)
                    .Select(p => new PublishedModel("top-1 %", p.Printed, "", "", p.Source, "")))
                .ToEquatableArray();
            var assumptions = Assumptions(v.Resolved.Root, "").Distinct().ToEquatableArray();
            var code = graphs.Network(v.Resolved.Root, v.Resolved.StageNames, v.Spec.ClassName);
            return new VariantModel(v.Spec.ClassName, v.Spec.Name, Variables(v), v.Resolved.InChannels, trace.Height, trace.Width,
                trace.Parameters, ResolutionRules.Describe(v), macs, stages, published, assumptions,
                code.Fields.ToEquatableArray(), code.Constructor.ToEquatableArray(), code.Forward.ToEquatableArray(), code.Features.ToEquatableArray());
        }

        /// <summary>Values the file states a source for (paper, code, inferred), with the module they configure.</summary>
        private static IEnumerable<string> Assumptions(Instance instance, string prefix)
        {
            foreach (var node in instance.Nodes)
            {
                string path = prefix.Length == 0 ? node.Path : node.Path.Length == 0 ? prefix : prefix + "." + node.Path;
                foreach (var a in node.Args.Items.Where(a => a.Provenance != null && a.Provenance != "framework default"))
                    yield return $"{(path.Length > 0 ? path : node.Kind.Name)}: {a.Name} = {a.Value} ({a.Provenance})";
                if (node.Child != null)
                    foreach (var inner in Assumptions(node.Child, path)) yield return inner;
            }
        }

        private static PublishedModel Published(PublishedCheck check)
        {
            var p = check.Published;
            string metric = p.Metric == PublishedMetric.Params ? "parameters" : $"MACs at {check.Resolution}";
            string analytic = p.Metric == PublishedMetric.Params
                ? ((long)check.Analytic).ToString("N0", CultureInfo.InvariantCulture)
                : PublishedCheck.Format(check.Analytic, p.Printed);
            string printed = p.Exact is long exact ? $"{p.Printed} ({exact.ToString("N0", CultureInfo.InvariantCulture)})" : p.Printed;
            string verdict = (check.WithinTolerance ? "within " + p.TolerancePrinted
                : p.KnownGap != null ? "known gap: " + p.KnownGap
                : "OUTSIDE " + p.TolerancePrinted) + (p.Note != null ? "; " + p.Note : "");
            return new PublishedModel(metric, printed, analytic, check.Convention, p.Source, verdict);
        }

        private static string Variables(VariantAnalysis v) =>
            string.Join(", ", v.Spec.Vars.Select(n => $"{n.Name} {n.Value}"));

        /// <summary>"fvcore" → "Fvcore", "cvnets_v02" → "CvnetsV02", "macs" → "Weights" (the plain multiply-accumulates).</summary>
        internal static string ConstantName(string convention) =>
            convention == "macs" ? "Weights"
            : string.Concat(convention.Split('_').Select(p => p.Length == 0 ? p : char.ToUpperInvariant(p[0]) + p.Substring(1)));

        internal static string ShapeLiteral(Shape s)
        {
            string I(int v) => v.ToString(CultureInfo.InvariantCulture);
            string grid = s.Grid is { } g ? $"new global::ArchDsl.Dsl.Shapes.Grid({I(g.Axis)}, {I(g.Height)}, {I(g.Width)}, {I(g.Prefix)})" : "null";
            return $"global::ArchDsl.Dsl.Shapes.Shape.Of(new[] {{ {string.Join(", ", s.Dims.Select(I))} }}, {I(s.Spatial)}, {grid}, {I(s.BatchFactor)})";
        }

        internal static DiagnosticInfo Info(Diagnostic d, string path)
        {
            var title = DiagnosticId.All.FirstOrDefault(i => i.Id == d.Id)?.Title ?? d.Id;
            var s = d.Span;
            return new DiagnosticInfo(d.Id, title, (int)d.Severity, d.Message, path, s.Start, Math.Max(0, s.Length),
                s.StartLine, s.StartColumn, s.EndLine, s.EndColumn);
        }
    }
}
