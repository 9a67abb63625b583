using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ArchDsl.Dsl.Analysis;
using ArchDsl.Dsl.Blocks;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Diagnostics;
using ArchDsl.Dsl.Expressions;
using ArchDsl.Dsl.Model;
using ArchDsl.Dsl.Reading;
using ArchDsl.Dsl.Resolution;
using ArchDsl.Dsl.Shapes;
using ArchDsl.Dsl.Text;
using ArchDsl.Dsl.Util;

namespace ArchDsl.Dsl.Graph
{
    /// <summary>
    /// Turns a family and one of its variants into its expanded graph (<see cref="Instance"/>): evaluates variables,
    /// <c>when</c>, <c>repeat</c>, parameters (types, ranges, defaults) and names; expands every block written in YAML at
    /// its use, with its own parameters and <c>in_channels</c>; turns combinators into plain operations; assigns module
    /// paths (<c>name:</c>, <c>into:</c>, nn.Sequential numbering) and checks they neither collide nor skip an index.
    /// Shapes are inferred on the way (a block may depend on its input channels); the first mistake of a variant is
    /// reported where it is written, or at the family file's row that uses a library block.
    /// </summary>
    public sealed class Expander
    {
        /// <summary>Largest input side accepted, so a typo like 224000 is an error rather than a slow analysis.</summary>
        public const int MaxInputSize = 16384;

        /// <summary>Largest <c>repeat</c>.</summary>
        public const int MaxRepeat = 1000;

        /// <summary>How deep blocks may nest inside blocks (kinds chosen by a parameter can recurse).</summary>
        public const int MaxDepth = 64;

        /// <summary>Most operations one variant may expand to, so that a file stays quick to analyse.</summary>
        public const int MaxNodes = 200_000;

        private readonly FamilySpec _family;
        private readonly KindCatalogue _catalogue;
        // a full tracer, so that messages name module paths; the analysis traces the finished graph again for costs
        private readonly Tracer _tracer = new Tracer();
        private readonly BlockKind _add, _mul, _concat;
        private int _nodes;
        private readonly OperationBudget _budget;
        private (int Height, int Width)? _declared;
        // the row of the family file being expanded, where warnings of the operations under it are reported
        private RowSpec? _familyRow;
        private readonly List<Diagnostic> _warnings = new List<Diagnostic>();

        private Expander(FamilySpec family, KindCatalogue catalogue, OperationBudget budget)
        {
            _budget = budget;
            _family = family;
            _catalogue = catalogue;
            _add = (BlockKind)KindCatalogue.Builtin.Find("add")!;
            _mul = (BlockKind)KindCatalogue.Builtin.Find("mul")!;
            _concat = (BlockKind)KindCatalogue.Builtin.Find("concat")!;
        }

        /// <param name="budget">The operations the file's variants may unroll to, shared by the variants of one file.</param>
        public static ResolvedVariant? Expand(FamilySpec family, VariantSpec variant, KindCatalogue catalogue, DiagnosticBag diagnostics,
            IReadOnlyDictionary<string, Value>? overrides = null, OperationBudget? budget = null)
        {
            var scope = new VariableScope(family.Vars, variant.Vars, overrides);
            var expander = new Expander(family, catalogue, budget ?? new OperationBudget());
            ResolvedVariant? result = null;
            try
            {
                result = expander.ExpandVariant(variant, scope);
            }
            catch (DslException e) when (e.IsShape && expander._declared is { } size)
            {
                diagnostics.Add(e.Id, e.Span, $"at {size.Height}×{size.Width}: {e.Message}");
            }
            catch (DslException e)
            {
                diagnostics.Add(e.ToDiagnostic());
            }
            diagnostics.AddRange(expander._warnings);
            // a variant variable that nothing reads is almost always a misspelling of one that is read
            if (result != null)
            {
                foreach (var v in variant.Vars.Where(v => !scope.Used.Contains(v.Name)))
                    diagnostics.Add(DiagnosticId.UnknownKey, v.NameSpan,
                        $"variable '{v.Name}' is not used by any row{Suggest.DidYouMean(v.Name, scope.Used.Where(u => scope.Names.Contains(u)))}");
            }
            if (result != null) expander._budget.Spent += result.Root.Operations;
            return diagnostics.HasErrors ? null : result;
        }

        private ResolvedVariant ExpandVariant(VariantSpec variant, VariableScope scope)
        {
            var input = _family.Input;
            int channels = Arguments.Int(Evaluator.Evaluate(input.Channels, scope), input.Channels.Span, "input channels", 1, 4096);
            int height = Arguments.Int(Evaluator.Evaluate(input.Height, scope), input.Height.Span, "input height", 1, MaxInputSize);
            int width = Arguments.Int(Evaluator.Evaluate(input.Width, scope), input.Width.Span, "input width", 1, MaxInputSize);
            _declared = (height, width);

            var root = new Instance(null, new BlockArgs(EquatableArray<BlockArg>.Empty), 1);
            var body = new Body(root, new[] { Shape.Image(channels, height, width) }, new[] { "input" }, "", _tracer);
            int previous = 0, stage = 0;
            var stageNames = new List<string>();
            foreach (var section in _family.Sections)
            {
                string auto = section.Role switch
                {
                    SectionRole.Stem => "stem",
                    SectionRole.Head => "head",
                    _ => "stages." + I(stage++),
                };
                var container = new Container("", numbered: true, registersFree: false, autoPrefix: auto + ".");
                int first = root.Nodes.Count;
                previous = ExpandRows(section.Rows, body, scope, container, previous, depth: 0);
                for (int n = first; n < root.Nodes.Count; n++) root.Nodes[n].Section = section.Name;
                if (section.Role == SectionRole.Stage)
                {
                    root.StageValues.Add(previous);
                    stageNames.Add(section.Name);
                }
            }
            root.Outputs = new[] { previous };
            body.CheckPaths();
            return new ResolvedVariant(_family.Name, variant.Name, variant.ClassName, channels, height, width,
                stageNames.ToEquatableArray(), root);
        }

        // ---- rows ----

        private int ExpandRows(IEnumerable<RowSpec> rows, Body body, VariableScope scope, Container container, int previous, int depth)
        {
            foreach (var row in rows)
                previous = ExpandRow(row, body, scope, container, previous, depth);
            return previous;
        }

        private int ExpandRow(RowSpec row, Body body, VariableScope scope, Container container, int previous, int depth)
        {
            if (depth == 0) _familyRow = row;
            if (row.When != null && !Arguments.Bool(Evaluator.Evaluate(row.When, scope), row.When.Span, "when"))
                return previous;
            int repeat = row.Repeat is null ? 1 : Arguments.Int(Evaluator.Evaluate(row.Repeat, scope), row.Repeat.Span, "repeat", 1, MaxRepeat);
            int[] outputs = { previous };
            for (int i = 0; i < repeat; i++)
            {
                var rowScope = row.Repeat is null ? scope : scope.With("i", Value.Of(i));
                // from: names earlier values; _ is the previous row's output
                int prior = previous;
                var inputs = row.From.Count == 0 ? new[] { previous } : row.From.Select(name => name == "_" ? prior : body.Lookup(name, row.FromSpan)).ToArray();
                outputs = row.Combinator is { } combinator
                    ? new[] { ExpandCombinator(row, combinator, body, rowScope, container, inputs, depth) }
                    : ExpandKind(row, body, rowScope, container, inputs, depth);
                previous = outputs[0];
            }
            if (row.As.Count > 0)
            {
                if (row.As.Count != outputs.Length)
                    throw new DslException(DiagnosticId.FlowMismatch, row.KindSpan,
                        $"'as:' names {row.As.Count} value(s) but {row.Kind} gives {outputs.Length}");
                for (int k = 0; k < outputs.Length; k++) body.Names[row.As[k]] = outputs[k];
            }
            return previous;
        }

        private int[] ExpandKind(RowSpec row, Body body, VariableScope scope, Container container, int[] inputs, int depth)
        {
            string kindName = Templates.Expand(row.Kind, row.KindSpan, scope);
            var kind = _catalogue.Find(kindName)
                ?? throw new DslException(DiagnosticId.UnknownKind, row.KindSpan,
                    $"unknown block kind '{kindName}'{(kindName != row.Kind ? $" (from '{row.Kind}')" : "")}{Suggest.DidYouMean(kindName, _catalogue.Names)}");
            if (kindName != row.Kind)
            {
                var bag = new DiagnosticBag();
                KindChecker.CheckParams(kind, row, bag);
                if (bag.Items.Count > 0) throw new DslException(DiagnosticId.UnknownKey, bag.Items[0].Span, bag.Items[0].Message);
            }
            var shapes = inputs.Select(v => body.Shapes[v]).ToArray();
            if (row.In != null)
            {
                int expected = Arguments.Int(Evaluator.Evaluate(row.In, scope), row.In.Span, "in", 1, 1 << 24);
                if (expected != shapes[0].Channels)
                    throw new DslException(DiagnosticId.FlowMismatch, row.Span,
                        $"{kindName} declares in: {expected} channels, but the rows before it produce {shapes[0].Channels} ({shapes[0]})") { IsShape = true };
            }
            var path = container.PathOf(row, scope, body, kind is BlockKind { RuntimeType: null });
            if (_nodes++ > MaxNodes)
                throw new DslException(DiagnosticId.OutOfRange, row.KindSpan, $"the network expands to more than {MaxNodes:N0} operations");

            long before = _tracer.Parameters;
            Node node;
            Shape[] outputs;
            if (kind is BlockKind op)
            {
                if (inputs.Length < op.MinInputs || inputs.Length > op.MaxInputs)
                    throw new DslException(DiagnosticId.FlowMismatch, row.FromSpan,
                        $"{op.Name} takes {(op.MinInputs == op.MaxInputs ? I(op.MinInputs) : $"{I(op.MinInputs)} to {I(op.MaxInputs)}")} value(s) (from:), not {inputs.Length}");
                node = new Node(op, Evaluate(op, row, scope, body), path ?? "", registered: false, inputs, row.Span, body.Origin)
                {
                    Counts = row.Counts.Select(c => (c.Name, CountRule.Of(c.Value, scope))).ToList(),
                };
                int warned = _tracer.Warnings.Count;
                outputs = Trace(node, shapes, body.Tracer, row);
                // an operation that degenerates on its input warns at the family row that leads to it, as a shape it
                // cannot take is reported there
                foreach (var (id, message) in _tracer.Warnings.Skip(warned))
                {
                    var warning = Diagnostic.Create(id, (_familyRow ?? row).Span, $"at {_declared!.Value.Height}×{_declared.Value.Width}: {message}");
                    if (!_warnings.Contains(warning)) _warnings.Add(warning);
                }
            }
            else
            {
                var definition = (BlockDefinition)kind;
                if (row.Counts.Count > 0)
                    throw new DslException(DiagnosticId.UnknownKey, row.Counts[0].NameSpan,
                        $"counts: changes how an operation is counted; put it on the rows of block '{definition.Name}' it concerns");
                if (depth >= MaxDepth)
                    throw new DslException(DiagnosticId.RecursiveBlock, row.KindSpan, $"blocks nest more than {MaxDepth} deep here (a block that uses itself?)");
                var given = Given(definition, row, scope, body);
                node = new Node(definition, new BlockArgs(EquatableArray<BlockArg>.Empty), path ?? "", registered: false, inputs, row.Span, body.Origin);
                try
                {
                    // one expansion per distinct use: the same block with the same arguments on the same input is the same
                    // instance (a stage's repeated blocks), expanded, traced and emitted once
                    string key = Key(definition, given, shapes);
                    if (_expanded.TryGetValue(key, out var known))
                        _tracer.CountParameters(known.Parameters);
                    else
                    {
                        long start = _tracer.Parameters;
                        var (instance, shapesOut) = ExpandBlock(definition, given, shapes, body.Tracer.Scope(path ?? ""), depth + 1);
                        known = (instance, shapesOut, _tracer.Parameters - start);
                        _expanded[key] = known;
                    }
                    node.Child = known.Instance;
                    node.Args = known.Instance.Args;
                    outputs = known.Outputs;
                }
                catch (DslException e) when (body.Origin.Length == 0 && (definition.Origin.Length > 0 || e.IsShape))
                {
                    // a shape the block cannot take is reported where the block is used, as is any mistake inside a
                    // library's block (its file is not the one being edited)
                    string where = definition.Origin.Length > 0 ? $"{(path is { Length: > 0 } ? path + " " : "")}({definition.Name}, {definition.Origin}): " : "";
                    throw new DslException(e.Id, row.Span, where + e.Message) { IsShape = e.IsShape };
                }
            }
            node.Parameters = _tracer.Parameters - before;
            node.DeclaredInputs = shapes;
            node.Registered = container.Registers(row, path, node);
            Add(body, node, outputs, row);
            return node.Outputs;
        }

        /// <summary>The declared-resolution trace of one C# kind during expansion; a shape it cannot take is reported at the row.</summary>
        private static Shape[] Trace(Node node, Shape[] inputs, Tracer tracer, RowSpec row)
        {
            try
            {
                return NetworkTrace.TraceOp(node, inputs, tracer, expanding: true);
            }
            catch (NetworkTrace.NodeFailure e)
            {
                throw new DslException(e.Id, row.Span, e.Message) { IsShape = true };
            }
        }

        // ---- blocks written in YAML ----

        private readonly Dictionary<string, (Instance Instance, Shape[] Outputs, long Parameters)> _expanded =
            new Dictionary<string, (Instance, Shape[], long)>();

        private static string Key(BlockDefinition definition, Dictionary<string, (Value Value, string? Provenance)> given, Shape[] inputs) =>
            definition.Name + "(" + string.Join(", ", definition.Params.Where(p => given.ContainsKey(p.Name))
                .Select(p => $"{p.Name}={given[p.Name].Value}:{given[p.Name].Provenance}")) + ") on "
            + string.Join("; ", inputs.Select(ShapeKey));

        internal static string ShapeKey(Shape s) => $"{string.Join(",", s.Dims)}/{s.BatchFactor}/{s.Spatial}/{s.Grid}";

        private (Instance, Shape[]) ExpandBlock(BlockDefinition definition, Dictionary<string, (Value Value, string? Provenance)> given, Shape[] inputs, Tracer tracer, int depth)
        {
            var spec = definition.Spec;
            if (inputs.Length != spec.Inputs.Count)
                throw new DslException(DiagnosticId.FlowMismatch, spec.NameSpan,
                    $"block '{definition.Name}' takes {spec.Inputs.Count} value(s) ({string.Join(", ", spec.Inputs)}), not {inputs.Length}");
            var fixedValues = given.Select(kv => new KeyValuePair<string, Value>(kv.Key, kv.Value.Value)).ToList();
            fixedValues.Add(new KeyValuePair<string, Value>("in_channels", Value.Of(inputs[0].Channels)));
            var names = definition.Params.Select(p => p.Name).Concat(spec.Vars.Select(v => v.Name)).Concat(new[] { "in_channels" }).ToList();
            var missing = definition.Params.Where(p => !given.ContainsKey(p.Name) && p.DefaultSource != null).ToList();
            foreach (var p in missing.Where(p => Arguments.IsLiteralText(p, p.DefaultSource!, names)))
                fixedValues.Add(new KeyValuePair<string, Value>(p.Name, Value.Of(p.DefaultSource!.Text)));
            var defaults = missing.Where(p => !Arguments.IsLiteralText(p, p.DefaultSource!, names))
                .Select(p => new NamedValue(p.Name, p.DefaultSource!.Span, p.DefaultSource)).Concat(spec.Vars).ToList();
            var scope = VariableScope.Isolated(fixedValues, defaults);
            var args = new List<BlockArg>();
            foreach (var decl in definition.Params)
            {
                if (given.TryGetValue(decl.Name, out var value))
                    args.Add(new BlockArg(decl.Name, value.Value, value.Provenance));
                else if (decl.DefaultSource is { } source)
                    args.Add(new BlockArg(decl.Name, Arguments.CheckValue(decl, scope.Lookup(decl.Name)!, source.Span), null));
            }
            var instance = new Instance(definition, new BlockArgs(args.ToEquatableArray()), inputs.Length);
            var body = new Body(instance, inputs, spec.Inputs, definition.Origin, tracer);
            var container = new Container("", numbered: spec.Sequential, registersFree: true);
            int output = ExpandRows(spec.Rows, body, scope, container, 0, depth);
            if (spec.Output != null) output = body.Lookup(spec.Output, spec.NameSpan);
            instance.Outputs = new[] { output };
            body.CheckPaths();
            return (instance, new[] { body.Shapes[output] });
        }

        /// <summary>The parameters a row gives a block, checked against their declarations in the caller's scope.</summary>
        private Dictionary<string, (Value, string?)> Given(BlockDefinition definition, RowSpec row, VariableScope scope, Body body)
        {
            var given = new Dictionary<string, (Value, string?)>();
            foreach (var decl in definition.Params)
            {
                var written = Written(decl, row, definition.Name, body);
                if (written is null)
                {
                    if (decl.DefaultSource is null)
                        throw new DslException(DiagnosticId.MissingField, row.KindSpan,
                            $"{definition.Name} needs '{decl.Name}:'{(decl.Doc.Length > 0 ? $" ({decl.Doc})" : "")}, in the row or in defaults");
                    continue;
                }
                given[decl.Name] = (Arguments.Check(decl, written.Value, scope), written.Value.Provenance);
            }
            return given;
        }

        /// <summary>Evaluated parameters of a C# kind; a rearrange's extra parameters are axis sizes.</summary>
        private BlockArgs Evaluate(BlockKind kind, RowSpec row, VariableScope scope, Body body)
        {
            var args = new List<BlockArg>();
            foreach (var decl in kind.Params)
            {
                var written = Written(decl, row, kind.Name, body);
                if (written is null)
                {
                    if (decl.Default is null)
                        throw new DslException(DiagnosticId.MissingField, row.KindSpan,
                            $"{kind.Name} needs '{decl.Name}:' ({decl.Doc}), in the row or in defaults");
                    args.Add(new BlockArg(decl.Name, decl.Default, "framework default"));
                    continue;
                }
                args.Add(new BlockArg(decl.Name, Arguments.Check(decl, written.Value, scope), written.Value.Provenance));
            }
            if (kind.TakesAxisSizes)
            {
                foreach (var extra in row.Params.Where(p => kind.Params.All(d => d.Name != p.Name)))
                    args.Add(new BlockArg(extra.Name, Value.Of(Arguments.Int(Evaluator.Evaluate(extra.Value, scope), extra.Value.Span, $"axis size '{extra.Name}'", 1, 1 << 20)), null));
            }
            return new BlockArgs(args.ToEquatableArray());
        }

        /// <summary>A parameter as the row writes it, or as the family's <c>defaults:</c> give it to rows of the family file.</summary>
        private NamedValue? Written(ParamDecl decl, RowSpec row, string kind, Body body) =>
            row.Params.FirstOrDefault(p => p.Name == decl.Name)
            ?? (body.Origin.Length == 0 ? _family.Defaults.Where(d => d.Kind == kind).SelectMany(d => d.Params).FirstOrDefault(p => p.Name == decl.Name) : null);

        // ---- combinators ----

        private int ExpandCombinator(RowSpec row, CombinatorSpec spec, Body body, VariableScope scope, Container container, int[] inputs, int depth)
        {
            if (inputs.Length != 1)
                throw new DslException(DiagnosticId.FlowMismatch, row.FromSpan, $"{row.Kind} takes one value (from:), not {inputs.Length}");
            int x = inputs[0];
            var inner = container.Nested(row, scope, body);
            switch (row.Kind)
            {
                case "sequence":
                    return ExpandRows(spec.Rows, body, scope, inner, x, depth);
                case "residual":
                {
                    int y = ExpandRows(spec.Rows, body, scope, inner, x, depth);
                    bool connect = spec.Connect is null || Arguments.Bool(Evaluator.Evaluate(spec.Connect, scope), spec.Connect.Span, "connect");
                    if (!connect) return y;
                    int shortcut = ExpandRows(spec.Shortcut, body, scope, inner, x, depth);
                    var (a, b) = (body.Shapes[y], body.Shapes[shortcut]);
                    if (!a.Dims.Equals(b.Dims) || a.BatchFactor != b.BatchFactor)
                        throw new DslException(DiagnosticId.FlowMismatch, row.Span,
                            $"the residual adds {a} to {b}: add a shortcut that gives the body's shape (e.g. a strided 1×1 convolution)") { IsShape = true };
                    return Merge(_add, new BlockArgs(EquatableArray<BlockArg>.Empty), new[] { y, shortcut }, row, body);
                }
                default:
                {
                    var outputs = spec.Branches.Select(branch => ExpandRows(branch.Rows, body, scope, inner, x, depth)).ToArray();
                    return spec.Merge switch
                    {
                        "concat" => Merge(_concat, new BlockArgs(new[] { new BlockArg("dim",
                            Value.Of(spec.Dim is null ? 1 : Arguments.Int(Evaluator.Evaluate(spec.Dim, scope), spec.Dim.Span, "dim", -8, 8)), null) }.ToEquatableArray()), outputs, row, body),
                        "mul" => outputs.Skip(1).Aggregate(outputs[0], (acc, next) => Merge(_mul, new BlockArgs(EquatableArray<BlockArg>.Empty), new[] { acc, next }, row, body)),
                        _ => Merge(_add, new BlockArgs(EquatableArray<BlockArg>.Empty), outputs, row, body),
                    };
                }
            }
        }

        private int Merge(BlockKind kind, BlockArgs args, int[] inputs, RowSpec row, Body body)
        {
            var node = new Node(kind, args, "", false, inputs, row.Span, body.Origin) { DeclaredInputs = inputs.Select(v => body.Shapes[v]).ToArray() };
            Add(body, node, Trace(node, node.DeclaredInputs, body.Tracer, row), row);
            return node.Outputs[0];
        }

        private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);

        /// <summary>Adds a node to the instance being built, within the file's <see cref="OperationBudget"/>: the instance
        /// runs at least once, so its operations so far count against what the earlier variants left.</summary>
        private void Add(Body body, Node node, IReadOnlyList<Shape> outputs, RowSpec row)
        {
            body.Add(node, outputs, row);
            body.Instance.Operations += node.Child?.Operations ?? 1;
            if (_budget.Spent + body.Instance.Operations > OperationBudget.Limit)
                throw new DslException(DiagnosticId.OutOfRange, row.KindSpan,
                    $"the file's variants unroll to more than {OperationBudget.Limit:N0} operations here (every repeat of every block counted); " +
                    "fewer repeats or variants keep it quick to analyse");
        }

        // ---- the instance being built ----

        /// <summary>An instance under construction: its values with their shapes and names, and the module paths its rows
        /// register.</summary>
        private sealed class Body
        {
            private readonly List<(string Path, SourceSpan Span, Node Node)> _paths = new List<(string, SourceSpan, Node)>();

            public Body(Instance instance, IReadOnlyList<Shape> inputs, IReadOnlyList<string> inputNames, string origin, Tracer tracer)
            {
                Instance = instance;
                Origin = origin;
                Tracer = tracer;
                Shapes = inputs.ToList();
                for (int i = 0; i < inputNames.Count; i++) Names[inputNames[i]] = i;
            }

            public Instance Instance { get; }
            public string Origin { get; }
            public Tracer Tracer { get; }
            public List<Shape> Shapes { get; }
            public Dictionary<string, int> Names { get; } = new Dictionary<string, int>();

            /// <summary>Counters of <c>into:</c> containers, by path.</summary>
            public Dictionary<string, int> Counters { get; } = new Dictionary<string, int>();

            public int Lookup(string name, SourceSpan span) =>
                Names.TryGetValue(name, out int value) ? value
                : throw new DslException(DiagnosticId.FlowMismatch, span,
                    $"no value named '{name}' here{Suggest.DidYouMean(name, Names.Keys)} (name a row's output with as:)");

            public void Add(Node node, IReadOnlyList<Shape> outputs, RowSpec row)
            {
                node.Outputs = outputs.Select(_ => Instance.NewValue()).ToArray();
                Shapes.AddRange(outputs);
                Instance.Nodes.Add(node);
                if (node.Path.Length > 0) _paths.Add((node.Path, row.NameSpan, node));
            }

            /// <summary>Two rows at one path, a numbered container skipping an index, or one container holding both numbered
            /// and named parts would build a module tree PyTorch could not have.</summary>
            public void CheckPaths()
            {
                var seen = new Dictionary<string, Node>();
                var next = new Dictionary<string, int>();
                var named = new Dictionary<string, string>();
                foreach (var (path, span, node) in _paths)
                {
                    if (!node.Registered)
                    {
                        // an unnamed parameter-free module of a family's section holds its index in the numbering
                        // (nn.Sequential(pool, linear) keys the linear 1) without a module of its own
                        if (Numbered(path) is { } slot)
                        {
                            next.TryGetValue(slot.Container, out int due);
                            if (slot.Index == due) next[slot.Container] = due + 1;
                        }
                        continue;
                    }
                    if (seen.ContainsKey(path))
                        throw new DslException(DiagnosticId.Duplicate, span, $"the module path '{path}' is used twice");
                    foreach (var other in seen.Keys.Where(p => path.StartsWith(p + ".", StringComparison.Ordinal) || p.StartsWith(path + ".", StringComparison.Ordinal)))
                        throw new DslException(DiagnosticId.Duplicate, span, $"'{path}' and '{other}' collide: one would be inside the other module");
                    seen[path] = node;
                    var segments = path.Split('.');
                    // the instance's own module may name its parts anything (official code mixes "0" and "gate_in");
                    // the containers under it are nn.Sequential / nn.ModuleList or named ones, never both
                    for (int k = 1; k < segments.Length; k++)
                    {
                        string parent = string.Join(".", segments, 0, k);
                        bool numeric = segments[k].All(char.IsDigit);
                        if (named.TryGetValue(parent, out var first) && first != (numeric ? "numbered" : "named"))
                            throw new DslException(DiagnosticId.NumberingGap, span,
                                $"'{string.Join(".", segments, 0, k + 1)}': the container '{parent}' holds both numbered and named parts");
                        named[parent] = numeric ? "numbered" : "named";
                        if (!numeric) continue;
                        int index = int.Parse(segments[k], CultureInfo.InvariantCulture);
                        next.TryGetValue(parent, out int expected);
                        if (index == expected) next[parent] = expected + 1;
                        else if (index > expected)
                            throw new DslException(DiagnosticId.NumberingGap, span,
                                $"'{string.Join(".", segments, 0, k + 1)}' skips {(parent.Length > 0 ? parent + "." : "")}{I(expected)}: numbered parts (nn.Sequential, nn.ModuleList) run 0, 1, 2, … in order");
                    }
                }
            }
        }

        /// <summary>The container and index of a numbered path ("head.1" → ("head", 1)), or null.</summary>
        private static (string Container, int Index)? Numbered(string path)
        {
            int dot = path.LastIndexOf('.');
            string last = path.Substring(dot + 1);
            return last.Length > 0 && last.All(char.IsDigit)
                ? (dot < 0 ? "" : path.Substring(0, dot), int.Parse(last, CultureInfo.InvariantCulture)) : ((string, int)?)null;
        }

        /// <summary>Where rows without a name go: a numbered container (nn.Sequential: every module row takes the next
        /// index, inline operations none) or a container of named parts (a module row needs a name unless it is
        /// parameter-free, then it is called without being registered).</summary>
        private sealed class Container
        {
            private int _next;

            /// <param name="autoPrefix">Where unnamed rows are numbered, when not under <paramref name="prefix"/> (a family's
            /// sections number theirs under stem., stages.i. and head., while names there are absolute).</param>
            public Container(string prefix, bool numbered, bool registersFree, string? autoPrefix = null)
            {
                Prefix = prefix;
                AutoPrefix = autoPrefix ?? prefix;
                Numbered = numbered;
                RegistersFree = registersFree;
            }

            public string Prefix { get; }
            public string AutoPrefix { get; }
            public bool Numbered { get; }

            /// <summary>Whether unnamed parameter-free modules are registered (inside blocks, as nn.Sequential does);
            /// the sections of a family file register only modules with parameters.</summary>
            public bool RegistersFree { get; }

            /// <summary>The row's path relative to the instance; null for an unnamed row outside a numbered container.</summary>
            public string? PathOf(RowSpec row, VariableScope scope, Body body, bool inline)
            {
                if (row.Name != null) return Prefix + Templates.Expand(row.Name, row.NameSpan, scope);
                if (row.Into != null)
                {
                    string container = Prefix + Templates.Expand(row.Into, row.NameSpan, scope);
                    body.Counters.TryGetValue(container, out int next);
                    body.Counters[container] = next + 1;
                    return container + "." + I(next);
                }
                if (inline || !Numbered) return null;
                return AutoPrefix + I(_next++);
            }

            /// <summary>Whether the row's node is registered: named rows always; numbered ones inside blocks; in a family's
            /// sections, unnamed ones only when they have parameters.</summary>
            public bool Registers(RowSpec row, string? path, Node node)
            {
                if (path is null)
                {
                    if (node.Parameters > 0)
                        throw new DslException(DiagnosticId.MissingField, row.KindSpan,
                            $"this {node.Kind.Name} has {node.Parameters:N0} parameters: give it a name: (its state_dict path) or into: (a numbered container)");
                    return false;
                }
                if (node.Op is { RuntimeType: null } && !node.Op.OwnsTensor)
                {
                    if (row.Name != null || row.Into != null)
                        throw new DslException(DiagnosticId.WrongType, row.NameSpan,
                            $"{node.Kind.Name} is a tensor operation, not a module: it has no path to name");
                    return false;
                }
                return row.Name != null || row.Into != null || RegistersFree || node.Parameters > 0;
            }

            /// <summary>The container of a combinator's rows: a named (or numbered) combinator is an nn.Sequential at its path.</summary>
            public Container Nested(RowSpec row, VariableScope scope, Body body)
            {
                if (row.Name is null && row.Into is null && !(Numbered && row.Kind == "sequence")) return this;
                var path = PathOf(row, scope, body, inline: false)!;
                return new Container(path.Length == 0 ? "" : path + ".", numbered: true, registersFree: true);
            }
        }
    }
}
