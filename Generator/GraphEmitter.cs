using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ArchDsl.Dsl.Blocks;
using ArchDsl.Dsl.Graph;
using ArchDsl.Dsl.Inference;
using ArchDsl.Dsl.Shapes;
using ArchDsl.Dsl.Text;
using ArchDsl.Dsl.Util;

namespace ArchDsl.Generator
{
    /// <summary>
    /// Writes an expanded graph as C#: one field per module, registered at its state_dict path, and a forward pass in
    /// straight-line code over local variables (no interpreter at run time). Each use of a YAML block becomes a module
    /// class of its own, shared by every use with the same arguments and input, in this family.
    /// </summary>
    internal sealed class GraphEmitter
    {
        private const string Rt = "global::ArchDsl.Runtime.";
        private readonly Dictionary<string, BlockClassInfo> _classByBody = new Dictionary<string, BlockClassInfo>();
        // the class that holds the block classes is named Blocks: none of them may take its name
        private readonly HashSet<string> _classNames = new HashSet<string>(StringComparer.Ordinal) { "Blocks" };
        private readonly List<ClassModel> _classes = new List<ClassModel>();
        private readonly Func<Instance, Shape[]> _shapes;
        private readonly Dictionary<Node, BlockClassInfo> _blockInfo = new Dictionary<Node, BlockClassInfo>();
        private readonly Dictionary<Instance, (BlockClassInfo, IReadOnlyList<string>)> _classOfInstance =
            new Dictionary<Instance, (BlockClassInfo, IReadOnlyList<string>)>();

        /// <param name="shapes">The shape of every value of an instance at the declared resolution.</param>
        public GraphEmitter(Func<Instance, Shape[]> shapes) => _shapes = shapes;

        /// <summary>The block classes written so far, in order of first use.</summary>
        public IReadOnlyList<ClassModel> Classes => _classes;

        /// <summary>The members of a network class: fields, constructor statements, forward and ForwardFeatures bodies.</summary>
        /// <param name="className">The class the members go into: no field may take its name.</param>
        public InstanceCode Network(Instance root, IReadOnlyList<string> stageNames, string className)
        {
            var code = new InstanceCode();
            var values = _shapes(root);
            var fields = Fields(root, code, lifter: null, reserved: new[] { className });
            code.Forward.Add("CheckInput(input);");
            code.Forward.Add($"using var scope = {Rt}torch.NewDisposeScope();");
            code.Features.Add("CheckInput(input);");
            code.Features.Add($"using var scope = {Rt}torch.NewDisposeScope();");
            code.Features.Add($"var features = new global::System.Collections.Generic.List<{Rt}Tensor>({I(root.StageValues.Count)});");
            var locals = new Locals(values);
            locals.Bind(0, "input");
            int lastStage = root.StageValues.Count > 0 ? root.StageValues[root.StageValues.Count - 1] : -1;
            bool featuresDone = root.StageValues.Count == 0;
            foreach (var node in root.Nodes)
            {
                var statements = Statements(node, fields[node], locals);
                code.Forward.AddRange(statements);
                if (!featuresDone) code.Features.AddRange(statements);
                foreach (var output in node.Outputs)
                {
                    int stage = root.StageValues.IndexOf(output);
                    if (stage < 0 || featuresDone) continue;
                    code.Forward.Add($"CheckStage({I(stage)}, {locals.Tensor(output)});");
                    code.Features.Add($"CheckStage({I(stage)}, {locals.Tensor(output)});");
                    code.Features.Add($"features.Add(FeatureMap({locals.Full(output)}));");
                    if (output == lastStage) featuresDone = true;
                }
            }
            code.Forward.Add($"return scope.MoveToOuter({locals.Tensor(root.Outputs[0])});");
            code.Features.Add("return MoveToOuter(scope, features);");
            return code;
        }

        /// <summary>The class of a use of a block, and the arguments of its constructor for this use. Uses whose code
        /// differs only in the literal arguments of their modules (widths, strides, flags) share one class: those
        /// literals are parameters of its constructor. Tokens cross its boundary as a TokenState (tokens with their
        /// grid) only where they must: into a block that reads its input's grid, out of one whose output grid its caller
        /// cannot know from the input's.</summary>
        private (BlockClassInfo Info, IReadOnlyList<string> Arguments) BlockClass(Instance instance)
        {
            // an instance is shared by every use of a block with the same arguments on the same input (a stage's repeats)
            if (_classOfInstance.TryGetValue(instance, out var known)) return known;
            var result = WriteBlockClass(instance);
            _classOfInstance[instance] = result;
            return result;
        }

        private (BlockClassInfo Info, IReadOnlyList<string> Arguments) WriteBlockClass(Instance instance)
        {
            var values = _shapes(instance);
            var inputs = Enumerable.Range(0, instance.InputCount).ToArray();
            // written first with every input's grid at hand; the grids are asked for only if some operation reads them
            var withGrids = BlockCode(instance, inputs.Select(v => values[v].Grid != null).ToArray());
            var takesGrid = inputs.Select(v => values[v].Grid != null && withGrids.ReadsGrid(v)).ToArray();
            var code = takesGrid.SequenceEqual(inputs.Select(v => values[v].Grid != null)) ? withGrids : BlockCode(instance, takesGrid);
            var output = values[instance.Outputs[0]];
            bool givesGrid = output.Grid != null && !inputs.Any(v => SameGrid(values[v], output));

            string inType = inputs.Length == 1 ? TypeOf(takesGrid[0]) : "(" + string.Join(", ", inputs.Select(v => TypeOf(takesGrid[v]))) + ")";
            string outType = TypeOf(givesGrid);
            var locals = code.Locals;
            int result = instance.Outputs[0];
            code.Code.Forward.Add(givesGrid
                ? $"return new {Rt}TokenState(scope.MoveToOuter({locals.Tensor(result)}), {locals.Height(result)}, {locals.Width(result)}, {I(output.Grid!.Prefix)});"
                : $"return scope.MoveToOuter({locals.Tensor(result)});");

            var body = code.Code;
            var lifted = code.Lifted;
            var parameters = lifted.Parameters.Select(p => $"{p.Type} {p.Name}").ToList();
            string key = string.Join("\n", parameters) + "\n" + string.Join("\n", body.Fields) + "\n" + string.Join("\n", body.Constructor) + "\n"
                + string.Join("\n", body.Forward) + inType + outType;
            if (_classByBody.TryGetValue(key, out var existing)) return (existing, lifted.Values);
            var definition = instance.Definition!;
            string baseName = Pascal(definition.Name);
            // "_" or "_2d" have no letter to start a class name with
            if (baseName.Length == 0 || !char.IsLetter(baseName[0])) baseName = "Block" + baseName;
            string name = baseName;
            for (int k = 2; !_classNames.Add(name); k++) name = baseName + I(k);
            var info = new BlockClassInfo(name, takesGrid, givesGrid, lifted.Parameters);
            _classByBody[key] = info;
            string doc = definition.Name + (definition.Summary.Length > 0 ? $": {definition.Summary}" : "")
                + (definition.Origin.Length > 0 ? $" ({definition.Origin})" : "")
                + $". First built for {string.Join(", ", inputs.Select(v => values[v].ToString()))} → {output}.";
            _classes.Add(new ClassModel(name, definition.Name, doc, $"{Rt}Module<{inType}, {outType}>", parameters.ToEquatableArray(),
                body.Fields.ToEquatableArray(), body.Constructor.ToEquatableArray(), body.Forward.ToEquatableArray()));
            return (info, lifted.Values);
        }

        /// <summary>A block's members up to its last statement; <paramref name="gridInputs"/> says which inputs arrive as a
        /// TokenState.</summary>
        private (InstanceCode Code, Locals Locals, Func<int, bool> ReadsGrid, Lifter Lifted) BlockCode(Instance instance, bool[] gridInputs)
        {
            var values = _shapes(instance);
            var code = new InstanceCode();
            var lifter = new Lifter();
            var fields = Fields(instance, code, lifter, reserved: Enumerable.Range(0, gridInputs.Length).Select(v => $"_input{I(v)}"));
            var locals = new Locals(values);
            if (gridInputs.Length == 1) locals.Receive(0, "input", gridInputs[0], code.Forward);
            else
            {
                code.Forward.Add($"var ({string.Join(", ", Enumerable.Range(0, gridInputs.Length).Select(v => "r" + I(v)))}) = input;");
                for (int v = 0; v < gridInputs.Length; v++) locals.Receive(v, "r" + I(v), gridInputs[v], code.Forward);
            }
            for (int v = 0; v < gridInputs.Length; v++)
            {
                code.Fields.Add($"private readonly long[] _input{I(v)};");
                code.Constructor.Add($"_input{I(v)} = {Expected(values[v], (i, d) => lifter.Lift($"input{I(v)}_dim{I(i)}", "long", I(d)))};");
                code.Forward.Add($"{Rt}ShapeCheck.Matches({locals.Tensor(v)}, _input{I(v)}, name);");
            }
            code.Forward.Add($"using var scope = {Rt}torch.NewDisposeScope();");
            int received = code.Forward.Count;
            foreach (var node in instance.Nodes)
                code.Forward.AddRange(Statements(node, fields[node], locals));
            // an input's grid is read if the statements name the locals Receive gave it
            bool ReadsGrid(int v) => code.Forward.Skip(received).Any(line =>
                System.Text.RegularExpressions.Regex.IsMatch(line, $@"\b[hw]{I(v)}\b"));
            return (code, locals, ReadsGrid, lifter);
        }

        /// <summary>Declares and builds one field per node that has a runtime module, registering it where it belongs.
        /// With a <paramref name="lifter"/> (a block class), the literal arguments become constructor parameters. Fields
        /// are named after module paths made identifiers: paths that become the same identifier (a_b and a.b), or one of
        /// the <paramref name="reserved"/> names of the class, are told apart by a number.</summary>
        private Dictionary<Node, string?> Fields(Instance instance, InstanceCode code, Lifter? lifter, IEnumerable<string> reserved)
        {
            var values = _shapes(instance);
            var names = new HashSet<string>(reserved, StringComparer.Ordinal);
            var fields = new Dictionary<Node, string?>();
            int unnamed = 0;
            foreach (var node in instance.Nodes)
            {
                if (node.Child is null && node.Op!.RuntimeClass(node.Args) is null)
                {
                    fields[node] = null;
                    continue;
                }
                string field = Unique(node.Path.Length > 0 ? "_" + Identifier(node.Path) : $"_{Identifier(node.Kind.Name)}{I(unnamed++)}", names);
                // a lifted argument is named after the module and the argument (nn.Sequential's "0" becomes m0)
                string owner = char.IsDigit(field[1]) ? "m" + field.Substring(1) : field.Substring(1);
                string Argument(string name, string? type, string literal) =>
                    $"{name}: {(lifter != null && type != null ? lifter.Lift(owner + "_" + name, type, literal) : literal)}";
                string type;
                var args = new List<string>();
                if (node.Child is { } child)
                {
                    var (info, arguments) = BlockClass(child);
                    _blockInfo[node] = info;
                    type = "Blocks." + info.Name;
                    args.AddRange(info.Parameters.Select((p, k) => Argument(p.Name, null, arguments[k])));
                    args.Add($"name: {CSharp.Quote(node.Path.Length > 0 ? node.Path : node.Kind.Name)}");
                }
                else
                {
                    type = "global::" + node.Op!.RuntimeClass(node.Args);
                    var inputs = node.Inputs.Select(v => values[v]).ToList();
                    args.AddRange(node.Op.ConstructorArgs(node.Args, inputs).Select(a => Argument(a.Name, LiftedType(a.Value), a.Literal)));
                    if (node.Op.OwnsTensor) args.Add($"tensor_name: {CSharp.Quote(node.Path.Substring(node.Path.LastIndexOf('.') + 1))}");
                }
                fields[node] = field;
                code.Fields.Add($"private readonly {type} {field};");
                code.Constructor.Add($"{field} = new {type}({string.Join(", ", args)});");
                if (!node.Registered) continue;
                code.Constructor.Add(node.Op is { OwnsTensor: true }
                    ? $"RegisterTensorAt({CSharp.Quote(node.Path)}, {field});"
                    : node.Path.Length == 0 ? $"RegisterInline({field});" : $"RegisterAt({CSharp.Quote(node.Path)}, {field});");
            }
            // the inference plan's BatchNorm folds, in-place activations and activations applied by the linear layer
            // before them, declared where the dataflow allows them
            foreach (var fold in BatchNormFolds.Of(instance))
                code.Constructor.Add($"FoldBatchNorm({fields[fold.First]}, {fields[fold.Second]});");
            foreach (var activation in InPlaceActivations.Of(instance))
                code.Constructor.Add($"MayOverwriteInput({fields[activation]});");
            foreach (var fusion in ActivationFusions.Of(instance))
                code.Constructor.Add($"FuseActivation({fields[fusion.Linear]}, {fields[fusion.Activation]});");
            return fields;
        }

        /// <summary>The C# type of a constructor argument a block class takes as a parameter: numbers, flags, lists of
        /// numbers and enum members; null for those written in place (texts such as a rearrange pattern, which shape
        /// the code).</summary>
        private static string? LiftedType(object? value) => value switch
        {
            long _ => "long",
            double _ => "double",
            bool _ => "bool",
            long[] _ => "long[]",
            EnumMember e => "global::" + e.EnumType,
            _ => null,
        };

        /// <summary>The statements that run one node: its call, its outputs, and the grid of tokens it makes.</summary>
        private List<string> Statements(Node node, string? field, Locals locals)
        {
            var statements = new List<string>();
            var operands = node.Inputs.Select(locals.Operand).ToList();
            string call;
            BlockClassInfo? block = node.Child != null ? _blockInfo[node] : null;
            if (block != null)
            {
                var arguments = node.Inputs.Select((v, k) => block.TakesGrid[k] ? locals.Full(v) : locals.Tensor(v)).ToList();
                call = $"{field}.call({(arguments.Count == 1 ? arguments[0] : "(" + string.Join(", ", arguments) + ")")})";
            }
            else if (field != null) call = node.Op!.Call(field, node.Args, operands);
            else call = node.Op!.Inline(node.Args, operands);

            if (node.Outputs.Length == 1)
            {
                int v = node.Outputs[0];
                string name = "x" + I(v);
                bool tokenState = block is { GivesGrid: true };
                statements.Add(tokenState ? $"var s{I(v)} = {call};" : $"var {name} = {call};");
                if (tokenState)
                {
                    statements.Add($"var {name} = s{I(v)}.Tokens;");
                    statements.Add($"long h{I(v)} = s{I(v)}.Height, w{I(v)} = s{I(v)}.Width;");
                    locals.Bind(v, name, "h" + I(v), "w" + I(v));
                }
                else locals.Bind(v, name);
            }
            else
            {
                string tuple = "t" + I(node.Outputs[0]);
                statements.Add($"var {tuple} = {call};");
                for (int k = 0; k < node.Outputs.Length; k++)
                {
                    int v = node.Outputs[k];
                    statements.Add($"var x{I(v)} = {node.Op!.OutputAccess(tuple, k)};");
                    locals.Bind(v, "x" + I(v));
                }
            }
            // grids: one the node makes (its own sizes), or one an input had (the same pixels)
            if (node.Outputs.Any(v => locals.Shape(v).Grid != null && locals.Height(v) is null))
            {
                var made = node.Op?.GridOf(node.Args, operands);
                foreach (var v in node.Outputs.Where(v => locals.Shape(v).Grid != null && locals.Height(v) is null))
                {
                    if (made is { } m)
                    {
                        statements.Add($"long h{I(v)} = {m.Height}, w{I(v)} = {m.Width};");
                        locals.Grid(v, "h" + I(v), "w" + I(v));
                    }
                    else if (node.Inputs.Where(i => SameGrid(locals.Shape(i), locals.Shape(v)) && locals.Height(i) != null)
                        .Select(i => (int?)i).FirstOrDefault() is int source)
                        locals.Grid(v, locals.Height(source)!, locals.Width(source)!);
                }
            }
            return statements;
        }

        private static bool SameGrid(Shape a, Shape b) =>
            a.Grid is { } g && b.Grid is { } h && g.Height == h.Height && g.Width == h.Width;

        /// <summary>The expected shape of a block's input, with −1 for the batch and the resolution-dependent dimensions.</summary>
        private static string Expected(Shape s, Func<int, int, string> fixedDim)
        {
            var dims = new[] { "-1" }.Concat(s.Dims.Select((d, i) => s.IsSpatial(i) ? "-1" : fixedDim(i + 1, d)));
            return "new long[] { " + string.Join(", ", dims) + " }";
        }

        private static string TypeOf(bool tokenState) => tokenState ? Rt + "TokenState" : Rt + "Tensor";

        /// <summary>A block class, which of its inputs and outputs are a TokenState, and its constructor's parameters.</summary>
        private sealed record BlockClassInfo(string Name, bool[] TakesGrid, bool GivesGrid, IReadOnlyList<(string Type, string Name)> Parameters);

        /// <summary>The literals of a block's code that become parameters of its class's constructor, with their values
        /// for the use being written.</summary>
        private sealed class Lifter
        {
            public List<(string Type, string Name)> Parameters { get; } = new List<(string, string)>();
            public List<string> Values { get; } = new List<string>();

            private readonly HashSet<string> _names = new HashSet<string>(StringComparer.Ordinal);

            /// <summary>Makes <paramref name="literal"/> a parameter and returns the parameter's name (numbered when two
            /// modules and arguments give the same one, as module a with b_out and module a_b with out do).</summary>
            public string Lift(string name, string type, string literal)
            {
                name = Unique(name, _names);
                Parameters.Add((type, name));
                Values.Add(literal);
                return name;
            }
        }

        internal static string Identifier(string path)
        {
            var chars = path.Select(c => char.IsLetterOrDigit(c) || c == '_' ? c : '_').ToArray();
            return new string(chars);
        }

        private static string Unique(string name, HashSet<string> used)
        {
            string candidate = name;
            for (int k = 2; !used.Add(candidate); k++) candidate = name + "_" + I(k);
            return candidate;
        }

        internal static string Pascal(string snake) =>
            string.Concat(snake.Split('_').Where(p => p.Length > 0).Select(p => char.ToUpperInvariant(p[0]) + p.Substring(1)));

        private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);

        /// <summary>The C# expressions holding each value (and its grid) in the method being written.</summary>
        private sealed class Locals
        {
            private readonly Shape[] _shapes;
            private readonly string?[] _tensors, _heights, _widths;

            public Locals(Shape[] shapes)
            {
                _shapes = shapes;
                _tensors = new string?[shapes.Length];
                _heights = new string?[shapes.Length];
                _widths = new string?[shapes.Length];
            }

            public Shape Shape(int v) => _shapes[v];
            public string Tensor(int v) => _tensors[v] ?? throw new InvalidOperationException($"value {v} is used before it is computed");
            public string? Height(int v) => _heights[v];
            public string? Width(int v) => _widths[v];

            public void Bind(int v, string tensor, string? height = null, string? width = null)
            {
                _tensors[v] = tensor;
                if (height != null) Grid(v, height, width!);
            }

            public void Grid(int v, string height, string width)
            {
                _heights[v] = height;
                _widths[v] = width;
            }

            /// <summary>A block's parameter: tokens whose grid the block reads arrive as a TokenState.</summary>
            public void Receive(int v, string parameter, bool tokenState, List<string> statements)
            {
                if (!tokenState)
                {
                    Bind(v, parameter);
                    return;
                }
                statements.Add($"var x{I(v)} = {parameter}.Tokens;");
                statements.Add($"long h{I(v)} = {parameter}.Height, w{I(v)} = {parameter}.Width;");
                Bind(v, "x" + I(v), "h" + I(v), "w" + I(v));
            }

            public Operand Operand(int v) => new Operand(Tensor(v), _shapes[v], _heights[v], _widths[v]);

            /// <summary>The value as a block takes it: a TokenState for tokens with a grid.</summary>
            public string Full(int v) =>
                _shapes[v].Grid is { } g && _heights[v] != null
                    ? $"new {Rt}TokenState({Tensor(v)}, {_heights[v]}, {_widths[v]}, {I(g.Prefix)})"
                    : Tensor(v);
        }
    }

    /// <summary>The members of one generated class, as lines of C#.</summary>
    internal sealed class InstanceCode
    {
        public List<string> Fields { get; } = new List<string>();
        public List<string> Constructor { get; } = new List<string>();
        public List<string> Forward { get; } = new List<string>();
        public List<string> Features { get; } = new List<string>();
    }
}
