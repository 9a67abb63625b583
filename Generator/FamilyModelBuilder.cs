using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ArchDsl.Dsl.Analysis;
using ArchDsl.Dsl.Blocks;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Diagnostics;
using ArchDsl.Dsl.Model;
using ArchDsl.Dsl.Shapes;
using ArchDsl.Dsl.Util;

namespace ArchDsl.Generator
{
    /// <summary>Runs the Dsl on one file and keeps what emission needs, as plain equatable data.</summary>
    internal static class FamilyModelBuilder
    {
        public static FamilyResult Build(ArchSourceFile file, string rootNamespace)
        {
            try
            {
                var analysis = FamilyAnalysis.Run(file.Text);
                var diagnostics = analysis.Diagnostics.Select(d => Info(d, file.Path)).ToEquatableArray();
                if (analysis.HasErrors || analysis.Spec is null)
                    return new FamilyResult(null, diagnostics);
                var spec = analysis.Spec;
                var model = new FamilyModel(rootNamespace, spec.Name, file.Path, file.FileName, spec.Title, spec.Paper, spec.Code, file.Text,
                    analysis.Variants.Select(Variant).ToEquatableArray());
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

        private static VariantModel Variant(VariantAnalysis v)
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
            var assumptions = v.Resolved.Layers
                .SelectMany(l => l.Args.Items.Where(a => a.Provenance != null && a.Provenance != "framework default")
                    .Select(a => $"{(l.Path.Length > 0 ? l.Path : l.Kind)}: {a.Name} = {a.Value} ({a.Provenance})"))
                .Distinct()
                .ToEquatableArray();
            return new VariantModel(v.Spec.ClassName, v.Spec.Name, Variables(v), v.Resolved.InChannels, trace.Height, trace.Width,
                trace.Parameters, ResolutionRules.Describe(v), macs, stages, Rows(v), published, assumptions);
        }

        private static EquatableArray<RowModel> Rows(VariantAnalysis v)
        {
            var layers = v.Trace.Layers;
            var stageEnds = new Dictionary<int, int>();
            for (int i = 0; i < layers.Count; i++)
            {
                bool lastOfSection = i + 1 == layers.Count || layers[i + 1].Layer.Section != layers[i].Layer.Section;
                if (lastOfSection && layers[i].Layer.Role == SectionRole.Stage)
                    stageEnds[layers[i].Layer.Row] = stageEnds.Count;
            }
            var containers = layers.Where(l => l.Layer.Path.Contains("."))
                .GroupBy(l => Container(l.Layer.Path)).ToDictionary(g => g.Key, g => g.Select(l => l.Layer.Row).Distinct().Count());

            var rows = new List<RowModel>();
            foreach (var group in layers.GroupBy(l => l.Layer.Row))
            {
                var first = group.First();
                var kind = first.Layer.BlockKind;
                bool isArray = first.Layer.Repeat > 1;
                string container = Container(first.Layer.Path);
                string field = first.Layer.AutoNamed && !isArray ? $"_{kind.Name}{first.Layer.Row}"
                    : !isArray ? FieldName(first.Layer.Path, first.Layer.Row)
                    : containers.TryGetValue(container, out int rowsInContainer) && rowsInContainer == 1
                        ? FieldName(container, first.Layer.Row)
                        : FieldName(first.Layer.Path, first.Layer.Row) + "_on";
                var instances = group.Select(l => new InstanceModel(l.Layer.Path,
                    !l.Layer.AutoNamed || v.Trace.EntriesOf(l).Any(e => e.Params > 0),
                    string.Join(", ", kind.ConstructorArgs(l.Layer.Args, l.Input).Select(a => $"{a.Name}: {a.Literal}")),
                    l.Input.ToString(), l.Output.ToString())).ToEquatableArray();
                rows.Add(new RowModel(field, kind.RuntimeType, kind.Name, isArray, first.Layer.Role != SectionRole.Head,
                    stageEnds.TryGetValue(first.Layer.Row, out int stage) ? stage : -1, instances));
            }
            return rows.ToEquatableArray();
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

        private static string Container(string path) => path.Contains(".") ? path.Substring(0, path.LastIndexOf('.')) : "";

        private static string FieldName(string path, int row) =>
            path.Length == 0 ? $"_row{row}" : "_" + path.Replace('.', '_');

        internal static string ShapeLiteral(Shape s) => s.Form switch
        {
            ShapeForm.Vector => $"global::ArchDsl.Dsl.Shapes.Shape.Vector({s.Channels})",
            ShapeForm.Tokens => $"global::ArchDsl.Dsl.Shapes.Shape.Tokens({s.Channels}, {s.Height}, {s.Width}, {s.GlobalTokens})",
            _ => $"global::ArchDsl.Dsl.Shapes.Shape.Image({s.Channels}, {s.Height}, {s.Width})",
        };

        private static DiagnosticInfo Info(Diagnostic d, string path)
        {
            var title = DiagnosticId.All.FirstOrDefault(i => i.Id == d.Id)?.Title ?? d.Id;
            var s = d.Span;
            return new DiagnosticInfo(d.Id, title, (int)d.Severity, d.Message, path, s.Start, Math.Max(0, s.Length),
                s.StartLine, s.StartColumn, s.EndLine, s.EndColumn);
        }
    }
}
