using System;
using System.Collections.Generic;
using System.Linq;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Diagnostics;
using ArchDsl.Dsl.Graph;
using ArchDsl.Dsl.Resolution;
using ArchDsl.Dsl.Shapes;

namespace ArchDsl.Dsl.Analysis
{
    /// <summary>An operation of the network's top level (a row of the stem, a stage or the head) with the shapes it
    /// takes and gives and the range of its cost entries.</summary>
    public sealed record LayerTrace(Node Node, IReadOnlyList<Shape> Inputs, IReadOnlyList<Shape> Outputs, int FirstEntry, int EntryCount)
    {
        public Shape Input => Inputs[0];
        public Shape Output => Outputs[0];
    }

    /// <summary>The output shape of one stage (what ForwardFeatures returns for it).</summary>
    public sealed record StageShape(string Name, int Index, Shape Output);

    /// <summary>Where a trace stopped: the chain of nodes from the network's top level down to the operation that cannot
    /// take its input, and why.</summary>
    public sealed record TraceFailure(IReadOnlyList<Node> Chain, DiagnosticId Id, string Message)
    {
        /// <summary>The full module path of the failing operation.</summary>
        public string Path => string.Join(".", Chain.Select(n => n.Path).Where(p => p.Length > 0));

        public Node Top => Chain[0];

        /// <summary>"stage1, stages.0.0.attn": the section of the family file and the module path.</summary>
        public string Where => string.Join(", ", new[] { Top.Section, Path.Length > 0 ? Path : Innermost.Kind.Name }.Where(p => !string.IsNullOrEmpty(p)));
        public Node Innermost => Chain[Chain.Count - 1];
    }

    /// <summary>Shapes and costs of a whole variant at one input resolution, traced through its expanded graph.</summary>
    public sealed class NetworkTrace
    {
        private NetworkTrace(ResolvedVariant variant, int height, int width, IReadOnlyList<LayerTrace> layers,
            IReadOnlyList<CostEntry> entries, IReadOnlyList<StageShape> stages, TraceFailure? failure,
            IReadOnlyDictionary<Instance, Shape[]>? values)
        {
            Variant = variant;
            Height = height;
            Width = width;
            Layers = layers;
            Entries = entries;
            Stages = stages;
            Failure = failure;
            _values = values;
        }

        private readonly IReadOnlyDictionary<Instance, Shape[]>? _values;

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

        /// <summary>Whether this trace recorded the values of <paramref name="instance"/>.</summary>
        public bool Records(Instance instance) => _values != null && _values.ContainsKey(instance);

        /// <summary>The shape of every value of every instance (recorded traces only: the declared resolution).</summary>
        public Shape[] ValuesOf(Instance instance) =>
            _values != null && _values.TryGetValue(instance, out var shapes) ? shapes
            : throw new InvalidOperationException("value shapes are recorded only by the trace at the declared resolution");

        /// <param name="shapesOnly">Skip the cost entries (faster; for checking which input sizes fit).</param>
        /// <param name="record">Keep the shape of every value of every instance, for code generation.</param>
        public static NetworkTrace Run(ResolvedVariant variant, int height, int width, bool shapesOnly = false, bool record = false)
        {
            var tracer = new Tracer(shapesOnly);
            var values = record ? new Dictionary<Instance, Shape[]>() : null;
            var root = variant.Root;
            var shapes = new Shape[root.ValueCount];
            shapes[0] = Shape.Image(variant.InChannels, height, width);
            var layers = new List<LayerTrace>();
            TraceFailure? failure = null;
            foreach (var node in root.Nodes)
            {
                int first = tracer.Entries.Count;
                try
                {
                    var outputs = TraceNode(node, shapes, tracer, values, checkParameters: true);
                    layers.Add(new LayerTrace(node, node.Inputs.Select(v => shapes[v]).ToList(), outputs, first, tracer.Entries.Count - first));
                }
                catch (NodeFailure e)
                {
                    failure = new TraceFailure(new[] { node }.Concat(e.Chain).ToList(), e.Id, e.Message);
                    break;
                }
            }
            if (values != null) values[root] = shapes;
            var stages = failure != null ? new List<StageShape>()
                : root.StageValues.Select((v, i) => new StageShape(variant.StageNames[i], i, shapes[v])).ToList();
            return new NetworkTrace(variant, height, width, layers, tracer.Entries.ToList(), stages, failure, values);
        }

        /// <summary>Whether the variant takes an input of <paramref name="height"/>×<paramref name="width"/>: a trace of shapes
        /// and parameter counts only (the resolution scan runs hundreds per variant).</summary>
        /// <param name="memo">Blocks already traced on given inputs, kept across calls by a scan over many sizes (deeper
        /// stages see the same shapes for neighbouring sizes); by default one call's own.</param>
        public static bool Fits(ResolvedVariant variant, int height, int width, Dictionary<string, (Shape[] Outputs, long Parameters)>? memo = null)
        {
            var tracer = new Tracer(shapesOnly: true);
            var root = variant.Root;
            var shapes = new Shape[root.ValueCount];
            shapes[0] = Shape.Image(variant.InChannels, height, width);
            memo ??= new Dictionary<string, (Shape[] Outputs, long Parameters)>();
            try
            {
                foreach (var node in root.Nodes) TraceNode(node, shapes, tracer, null, checkParameters: true, memo);
                return true;
            }
            catch (NodeFailure)
            {
                return false;
            }
        }

        /// <summary>Traces one node on the shapes of its inputs, storing its outputs; the expansion uses the same code.</summary>
        /// <param name="memo">Outputs and parameters of block instances already traced on the same inputs (shapes-only
        /// traces; a stage repeats the same block on the same shape).</param>
        internal static Shape[] TraceNode(Node node, Shape[] values, Tracer tracer, Dictionary<Instance, Shape[]>? record, bool checkParameters,
            Dictionary<string, (Shape[] Outputs, long Parameters)>? memo = null)
        {
            var inputs = new Shape[node.Inputs.Length];
            for (int i = 0; i < inputs.Length; i++) inputs[i] = values[node.Inputs[i]];
            long before = tracer.Parameters;
            Shape[] outputs;
            if (node.Child is { } child)
            {
                string? key = memo is null ? null : child.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) + ":" + string.Join(";", inputs.Select(Expander.ShapeKey));
                if (key != null && memo!.TryGetValue(key, out var known))
                {
                    tracer.CountParameters(known.Parameters);
                    outputs = known.Outputs;
                }
                else
                {
                    outputs = TraceInstance(child, inputs, tracer.Scope(node.Path), record, checkParameters, memo);
                    if (key != null) memo![key] = (outputs, tracer.Parameters - before);
                }
            }
            else
            {
                outputs = TraceOp(node, inputs, tracer);
            }
            long parameters = tracer.Parameters - before;
            if (checkParameters && parameters != node.Parameters)
                throw new NodeFailure(DiagnosticId.FlowMismatch,
                    $"{Describe(node)} was built for inputs {string.Join(", ", node.DeclaredInputs.Select(d => d.ToString()))} ({node.Parameters:N0} parameters) and cannot take {string.Join(", ", inputs.Select(s => s.ToString()))}");
            for (int i = 0; i < node.Outputs.Length; i++) values[node.Outputs[i]] = outputs[i];
            return outputs;
        }

        private static Shape[] TraceInstance(Instance instance, Shape[] inputs, Tracer tracer, Dictionary<Instance, Shape[]>? record, bool checkParameters,
            Dictionary<string, (Shape[] Outputs, long Parameters)>? memo)
        {
            var values = new Shape[instance.ValueCount];
            Array.Copy(inputs, values, inputs.Length);
            foreach (var node in instance.Nodes)
            {
                try
                {
                    TraceNode(node, values, tracer, record, checkParameters, memo);
                }
                catch (NodeFailure e)
                {
                    e.Chain.Insert(0, node);
                    throw;
                }
            }
            if (record != null) record[instance] = values;
            return instance.Outputs.Select(v => values[v]).ToArray();
        }

        /// <summary>One C# kind's operations on these inputs, at its scope.</summary>
        internal static Shape[] TraceOp(Node node, Shape[] inputs, Tracer tracer, bool expanding = false)
        {
            try
            {
                int first = tracer.Entries.Count;
                var scope = tracer.Scope(expanding ? node.ExpansionScope : node.TraceScope);
                var outputs = KeepLayout(node.Op!.Trace(node.Args, inputs, scope), inputs);
                foreach (var (convention, count) in node.Counts)
                    tracer.OverrideFrom(first, convention, count);
                return outputs;
            }
            catch (ShapeException e)
            {
                throw new NodeFailure(e.Id, e.Message);
            }
        }

        /// <summary>An output that keeps the rank and the token axis of an input keeps that input's grid (a linear layer, a
        /// norm or a sum on tokens does not change which pixel each token is).</summary>
        private static Shape[] KeepLayout(IReadOnlyList<Shape> outputs, Shape[] inputs)
        {
            var result = outputs as Shape[] ?? outputs.ToArray();
            for (int i = 0; i < result.Length; i++)
            {
                var y = result[i];
                if (y.Grid != null) continue;
                foreach (var x in inputs)
                {
                    if (x.Grid is { } grid && y.Rank == x.Rank && y.BatchFactor == x.BatchFactor && y.Dims[grid.Axis] == grid.Tokens)
                    {
                        result[i] = y with { Grid = grid };
                        break;
                    }
                }
            }
            return result;
        }

        internal static string Describe(Node node) => node.Path.Length > 0 ? $"{node.Path} ({node.Kind.Name})" : node.Kind.Name;

        /// <summary>A node that cannot take its inputs, with the nodes above it filled in as it propagates.</summary>
        internal sealed class NodeFailure : Exception
        {
            public NodeFailure(DiagnosticId id, string message) : base(message) => Id = id;

            public DiagnosticId Id { get; }
            public List<Node> Chain { get; } = new List<Node>();
        }
    }
}
