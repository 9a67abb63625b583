using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Module = ArchDsl.Runtime.Module;
using System.Runtime.CompilerServices;
using ArchDsl.Dsl.Analysis;
using ArchDsl.Dsl.Blocks;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Shapes;
using ArchDsl.Runtime;

namespace ArchDsl.Tests.Support;

/// <summary>
/// One C# kind, defined twice (its Dsl trace, its runtime module), run both ways on the same arguments and inputs:
/// the runtime module is built by reflection exactly as the generated code builds it (the class the kind names, its
/// constructor arguments by name), called on random inputs of the traced shapes, and its recorded operations, output
/// shapes and parameter count are compared with the trace. Any difference is a drift between the two definitions.
/// </summary>
public static class KindConformance
{
    /// <summary>The kind, its evaluated arguments and its input shapes as a family file gives them: the row named
    /// <c>probe</c> of a one-variant family whose <c>stem:</c> is <paramref name="prelude"/> (rows that shape the input).</summary>
    public static (BlockKind Kind, BlockArgs Args, IReadOnlyList<Shape> Inputs) Probe(string kind, string args, string prelude, int channels, int size)
    {
        var text = $$"""
            family: Probe
            title: "one {{kind}} on a small input"
            input: { channels: {{channels}}, size: {{size}} }
            stem:
            {{(prelude.Length == 0 ? "  []" : prelude)}}
            stages:
              probe:
                - { name: probe, kind: {{kind}}{{(args.Length > 0 ? ", " + args : "")}} }
            variants:
              A: {}
            """;
        var analysis = FamilyAnalysis.Run(text);
        var errors = analysis.Diagnostics.Where(d => d.Severity == ArchDsl.Dsl.Diagnostics.Severity.Error).ToList();
        if (errors.Count > 0) throw new InvalidOperationException($"probe of {kind} ({args}): " + string.Join("; ", errors.Select(d => d.Message)));
        var layer = analysis.Variants.Single().Trace.Layers.Single(l => l.Node.Path == "probe");
        return (layer.Node.Op!, layer.Node.Args, layer.Inputs);
    }

    /// <summary>Every difference between the kind's trace and its runtime module on these inputs; empty when they agree.</summary>
    public static IReadOnlyList<string> Check(BlockKind kind, BlockArgs args, IReadOnlyList<Shape> inputs, long batch = 2)
    {
        var tracer = new Tracer();
        var outputs = kind.Trace(args, inputs, tracer);

        var className = kind.RuntimeClass(args) ?? throw new ArgumentException($"{kind.Name} is inline: it has no runtime module");
        var type = RuntimeType(className);
        if (type is null) return new[] { $"{kind.Name}: the runtime class {className} does not exist" };
        var constructorArgs = kind.ConstructorArgs(args, inputs).ToList();
        if (kind.OwnsTensor) constructorArgs.Add(new ConstructorArg("tensor_name", "probe"));
        var module = Construct(type, constructorArgs, out var problem);
        if (module is null) return new[] { $"{kind.Name}: {problem}" };

        var differences = new List<string>();
        using (module)
        {
            module.eval(ArchDsl.Runtime.InferenceOptimizations.None);  // the forward as written (InferencePlanTests checks the plan)
            long parameters = module.parameters().Sum(p => p.numel());
            long traced = tracer.Entries.Sum(e => e.Params);
            if (parameters != traced) differences.Add($"{kind.Name}: the runtime module has {parameters:N0} parameters, the trace {traced:N0}");

            var tensors = inputs.Select((s, i) => torch.randn(s.ToArray(batch), seed: 11 + i)).ToList();
            try
            {
                OpRecord[] records;
                IReadOnlySet<string> called;
                object? result;
                using (torch.no_grad())
                using (var recorder = OpRecorder.Start(module))
                {
                    result = Call(module, Argument(module, tensors, inputs));
                    records = recorder.Records.ToArray();
                    called = recorder.CalledModules;
                }
                var results = Tensors(result).ToList();
                var expected = outputs.Select(s => ShapeCheck.Format(s.ToArray(batch))).ToList();
                var actual = results.Select(t => ShapeCheck.Format(t.shape)).ToList();
                if (!expected.SequenceEqual(actual))
                    differences.Add($"{kind.Name}: the runtime gives {string.Join(", ", actual)}, the trace {string.Join(", ", expected)}");
                foreach (var t in results) t.Dispose();
                differences.AddRange(OpConformance.Differences(OpConformance.FromTrace(tracer.Entries, called), OpConformance.FromRecords(records, batch))
                    .Select(d => $"{kind.Name}: {d}"));
            }
            finally
            {
                foreach (var t in tensors) t.Dispose();
            }
        }
        return differences;
    }

    /// <summary>The runtime class named by a kind: in the runtime, or in any loaded assembly (test doubles).</summary>
    private static Type? RuntimeType(string name) =>
        typeof(Module).Assembly.GetType(name) ?? AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetType(name)).FirstOrDefault(t => t != null);

    /// <summary>The constructor call the generated code makes (<c>new T(name: value, …)</c>), by reflection.</summary>
    private static Module? Construct(Type type, IReadOnlyList<ConstructorArg> args, out string problem)
    {
        foreach (var ctor in type.GetConstructors())
        {
            var parameters = ctor.GetParameters();
            if (args.Any(a => parameters.All(p => p.Name != a.Name))) continue;
            if (parameters.Any(p => !p.IsOptional && args.All(a => a.Name != p.Name))) continue;
            var values = parameters.Select(p => args.FirstOrDefault(a => a.Name == p.Name) is { } a ? Convert(a.Value, p.ParameterType) : p.DefaultValue).ToArray();
            problem = "";
            return (Module)ctor.Invoke(values);
        }
        problem = $"no constructor of {type.FullName} takes ({string.Join(", ", args.Select(a => a.Name))})";
        return null;
    }

    private static object? Convert(object? value, Type target) => value switch
    {
        EnumMember e => Enum.Parse(Nullable.GetUnderlyingType(target) ?? target, e.Member),
        ArchDsl.Dsl.Blocks.Primitives.AxisSizes sizes => sizes.Items,
        long l when target == typeof(int) => checked((int)l),
        long l when target == typeof(double) => (double)l,
        _ => value,
    };

    /// <summary>The module's input (its <c>Module&lt;TIn, TOut&gt;</c>'s TIn) from the input tensors.</summary>
    private static object Argument(Module module, IReadOnlyList<Tensor> tensors, IReadOnlyList<Shape> shapes)
    {
        var input = ModuleType(module).GetGenericArguments()[0];
        if (input == typeof(Tensor)) return tensors[0];
        if (input == typeof(TokenState))
        {
            var grid = shapes[0].Grid ?? throw new InvalidOperationException($"{shapes[0]} has no grid");
            return new TokenState(tensors[0], grid.Height, grid.Width, grid.Prefix);
        }
        if (typeof(ITuple).IsAssignableFrom(input)) return Activator.CreateInstance(input, tensors.Cast<object>().ToArray())!;
        throw new NotSupportedException($"inputs of type {input}");
    }

    private static object? Call(Module module, object argument)
    {
        try
        {
            return ModuleType(module).GetMethod("call")!.Invoke(module, new[] { argument });
        }
        catch (TargetInvocationException e) when (e.InnerException is { } inner)
        {
            throw inner;
        }
    }

    private static Type ModuleType(Module module)
    {
        for (var t = module.GetType(); t != null; t = t.BaseType)
            if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(Module<,>)) return t;
        throw new InvalidOperationException($"{module.GetType()} is no Module<TIn, TOut>");
    }

    /// <summary>The tensors of a module's result: a tensor, a tuple of tensors, or a record of them.</summary>
    private static IEnumerable<Tensor> Tensors(object? result) => result switch
    {
        Tensor t => new[] { t },
        TokenState s => new[] { s.Tokens },
        ITuple tuple => Enumerable.Range(0, tuple.Length).Select(i => tuple[i]).OfType<Tensor>(),
        null => Array.Empty<Tensor>(),
        _ => result.GetType().GetProperties().Where(p => p.PropertyType == typeof(Tensor)).Select(p => (Tensor)p.GetValue(result)!),
    };
}
