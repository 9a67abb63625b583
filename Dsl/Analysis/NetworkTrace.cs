using System.Collections.Generic;
using System.Linq;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Diagnostics;
using ArchDsl.Dsl.Model;
using ArchDsl.Dsl.Resolution;
using ArchDsl.Dsl.Shapes;

namespace ArchDsl.Dsl.Analysis
{
    /// <summary>A block instance with the shapes it takes and gives and the range of its cost entries.</summary>
    public sealed record LayerTrace(ResolvedLayer Layer, Shape Input, Shape Output, int FirstEntry, int EntryCount);

    /// <summary>The output shape of one stage (what ForwardFeatures returns for it).</summary>
    public sealed record StageShape(string Name, int Index, Shape Output);

    /// <summary>Where a trace stopped: the block that cannot take its input, and why.</summary>
    public sealed record TraceFailure(ResolvedLayer Layer, Shape Input, DiagnosticId Id, string Message);

    /// <summary>Shapes and costs of a whole variant at one input resolution.</summary>
    public sealed class NetworkTrace
    {
        private NetworkTrace(ResolvedVariant variant, int height, int width, IReadOnlyList<LayerTrace> layers,
            IReadOnlyList<CostEntry> entries, IReadOnlyList<StageShape> stages, TraceFailure? failure)
        {
            Variant = variant;
            Height = height;
            Width = width;
            Layers = layers;
            Entries = entries;
            Stages = stages;
            Failure = failure;
        }

        public ResolvedVariant Variant { get; }
        public int Height { get; }
        public int Width { get; }
        public IReadOnlyList<LayerTrace> Layers { get; }
        public IReadOnlyList<CostEntry> Entries { get; }
        public IReadOnlyList<StageShape> Stages { get; }
        public TraceFailure? Failure { get; }
        public bool Succeeded => Failure is null;

        public Shape Input => Shape.Image(Variant.InChannels, Height, Width);
        public Shape Output => Layers.Count > 0 ? Layers[Layers.Count - 1].Output : Input;

        public long Parameters => Entries.Sum(e => e.Params);

        public long Macs(CountingConvention convention) => convention.Total(Entries);

        public IEnumerable<CostEntry> EntriesOf(LayerTrace layer) => Entries.Skip(layer.FirstEntry).Take(layer.EntryCount);

        /// <param name="shapesOnly">Skip the cost entries (faster; for checking which input sizes fit).</param>
        public static NetworkTrace Run(ResolvedVariant variant, int height, int width, bool shapesOnly = false)
        {
            var tracer = new Tracer(shapesOnly);
            var layers = new List<LayerTrace>();
            var stages = new List<StageShape>();
            var shape = Shape.Image(variant.InChannels, height, width);
            TraceFailure? failure = null;
            int stageIndex = 0;
            for (int i = 0; i < variant.Layers.Count && failure is null; i++)
            {
                var layer = variant.Layers[i];
                var kind = layer.BlockKind;
                int first = tracer.Entries.Count;
                try
                {
                    if (!kind.Accepts(shape.Form))
                        Tracer.Fail(DiagnosticId.FlowMismatch, $"{Describe(layer)} ({kind.Name}) needs {FormOf(kind.Input)} but receives {shape.FormName} {shape}");
                    if (layer.ExpectedIn is int expected && expected != shape.Channels)
                        Tracer.Fail(DiagnosticId.FlowMismatch, $"{Describe(layer)} declares in: {expected} channels, but the rows before it produce {shape.Channels} ({shape})");
                    var output = kind.Trace(layer.Args, shape, tracer.Scope(layer.Path));
                    layers.Add(new LayerTrace(layer, shape, output, first, tracer.Entries.Count - first));
                    shape = output;
                }
                catch (ShapeException e)
                {
                    failure = new TraceFailure(layer, shape, e.Id, e.Message);
                    break;
                }
                bool lastOfSection = i + 1 == variant.Layers.Count || variant.Layers[i + 1].Section != layer.Section;
                if (lastOfSection && layer.Role == SectionRole.Stage)
                    stages.Add(new StageShape(layer.SectionName, stageIndex++, shape));
            }
            return new NetworkTrace(variant, height, width, layers, tracer.Entries.ToList(), stages, failure);
        }

        private static string Describe(ResolvedLayer layer) => layer.Path.Length > 0 ? layer.Path : $"row {layer.Row + 1}";

        private static string FormOf(ShapeForm form) => form switch
        {
            ShapeForm.Image => "a feature map [B, C, H, W]",
            ShapeForm.Vector => "a vector [B, C] (add a pooling row before it)",
            _ => "tokens",
        };
    }
}
