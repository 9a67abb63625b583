using System;
using System.Collections.Generic;
using System.Linq;
using ArchDsl.Dsl.Analysis;
using ArchDsl.Dsl.Costs;

namespace ArchDsl.Runtime;

/// <summary>
/// The base of every generated model: registration at official state_dict paths, the input check of the model's
/// resolution rule (before any native call), optional checks of every stage's output shape, and helpers the
/// generated forward code uses.
/// </summary>
public abstract class ArchModule : Module<Tensor, Tensor>
{
    [ThreadStatic] private static NetworkTrace? t_current;

    protected ArchModule(string name, VariantAnalysis spec) : base(name) => Analysis = spec;

    /// <summary>The analysis of the architecture file for this variant (with the options it was created with): shapes,
    /// costs, published numbers.</summary>
    public VariantAnalysis Analysis { get; private set; }

    /// <summary>The analysis with the options a model was created with (<see cref="VariantCompiler"/>): its compiled class
    /// knows only the file, not the values it was compiled for.</summary>
    internal void UseAnalysis(VariantAnalysis analysis)
    {
        Analysis = analysis;
        _rule = null;
    }

    /// <summary>Check every stage's output against the shape inferred from the file (shape-check layer 3);
    /// on by default in Debug builds of ArchDsl.Runtime.</summary>
    public static bool CheckStages { get; set; } =
#if DEBUG
        true;
#else
        false;
#endif

    /// <summary>The output of every stage, for use as a detection or segmentation backbone.</summary>
    public abstract IReadOnlyList<Tensor> ForwardFeatures(Tensor input);

    public long ParameterCount() => parameters().Sum(p => p.numel());

    /// <summary>MACs per image at an input size under a counting convention, from the architecture file.</summary>
    public static long MacsAt(VariantAnalysis spec, int height, int width, string convention)
    {
        var counter = CountingConvention.Find(convention)
            ?? throw new ArgumentException($"unknown counting convention '{convention}'; known: {string.Join(", ", CountingConvention.All.Select(c => c.Name))}");
        var trace = spec.At(height, width);
        if (trace.Failure is { } failure)
            throw new ShapeMismatchException(spec.FullName, $"[B, {spec.Resolved.InChannels}, H, W] with {ResolutionRules.Describe(spec)}",
                $"[B, {spec.Resolved.InChannels}, {height}, {width}] ({failure.Message})");
        return trace.Macs(counter);
    }

    /// <summary>
    /// Loads a checkpoint to fine-tune this model: the backbone (every stem and stage tensor) must be in it with the
    /// same shapes, as <see cref="Module.load_state_dict"/> checks; the head (the file's <c>head:</c> rows) may differ,
    /// as when a 1000-class checkpoint meets a 10-class model. Head tensors of another shape or absent from the
    /// checkpoint keep the model's own initialisation; the result lists exactly which.
    /// </summary>
    public FineTuneLoad load_for_fine_tuning(IReadOnlyDictionary<string, Tensor> state_dict)
    {
        ArgumentNullException.ThrowIfNull(state_dict);
        var own = this.state_dict();
        var head = HeadPaths(Analysis.Resolved.Root.Nodes.Where(n => n.Section == "head")).ToList();
        bool InHead(string key) => head.Any(path => key == path || key.StartsWith(path + ".", StringComparison.Ordinal));
        StateDictMismatch? Mismatch(string key) =>
            state_dict.TryGetValue(key, out var source) && !source.Shape.AsSpan().SequenceEqual(own[key].Shape)
                ? new StateDictMismatch(key, ShapeCheck.Format(own[key].Shape), ShapeCheck.Format(source.Shape)) : null;
        var skipped = own.Keys.Where(InHead).Select(Mismatch).OfType<StateDictMismatch>().ToList();
        // a backbone that differs is another model, not a fine-tuning: every problem reported together
        var missingBackbone = own.Keys.Where(k => !InHead(k) && !state_dict.ContainsKey(k)).ToList();
        var backboneShapes = own.Keys.Where(k => !InHead(k)).Select(Mismatch).OfType<StateDictMismatch>().ToList();
        if (missingBackbone.Count > 0 || backboneShapes.Count > 0)
            throw new StateDictException(name, missingBackbone, Array.Empty<string>(), backboneShapes, Array.Empty<StateDictMismatch>());
        var skippedKeys = skipped.Select(s => s.Key).ToHashSet(StringComparer.Ordinal);
        var kept = state_dict.Where(kv => !skippedKeys.Contains(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        var (missing, unexpected) = load_state_dict(kept, strict: false);
        var loaded = own.Keys.Where(kept.ContainsKey).ToList();
        return new FineTuneLoad(loaded, skipped, missing.Where(k => !skippedKeys.Contains(k)).ToList(), unexpected);
    }

    /// <summary>Loads a safetensors checkpoint to fine-tune this model (see <see cref="load_for_fine_tuning"/>).</summary>
    public FineTuneLoad load_safetensors_for_fine_tuning(string path)
    {
        var loaded = Safetensors.Load(path);
        try
        {
            return load_for_fine_tuning(loaded);
        }
        finally
        {
            foreach (var t in loaded.Values) t.Dispose();
        }
    }

    /// <summary>The state_dict paths of the head's modules (a row without a path contributes its parts).</summary>
    private static IEnumerable<string> HeadPaths(IEnumerable<Dsl.Graph.Node> nodes) =>
        nodes.SelectMany(n => n.Path.Length > 0 ? new[] { n.Path }
            : n.Child is { } child ? HeadPaths(child.Nodes) : Enumerable.Empty<string>());

    /// <summary>Places a block at its official path; "" registers its parts at the top level.</summary>
    protected void Register(string path, Module module)
    {
        if (path.Length == 0) RegisterInline(module);
        else RegisterAt(path, module);
    }

    /// <summary>Rank, channels and the model's resolution rule, checked before any native call.</summary>
    protected void CheckInput(Tensor input)
    {
        var s = input.Shape;
        int channels = Analysis.Resolved.InChannels;
        if (s.Length != 4 || s[1] != channels)
            throw new ShapeMismatchException(name, $"[B, {channels}, H, W]", ShapeCheck.Format(s));
        if (s[2] < 1 || s[3] < 1 || s[2] > Dsl.Graph.Expander.MaxInputSize || s[3] > Dsl.Graph.Expander.MaxInputSize)
            throw new ShapeMismatchException(name, $"[B, {channels}, H, W] with 1 ≤ H, W ≤ {Dsl.Graph.Expander.MaxInputSize}", ShapeCheck.Format(s));
        var trace = Analysis.At((int)s[2], (int)s[3]);
        if (trace.Failure is { } failure)
        {
            throw new ShapeMismatchException($"{name} ({failure.Where})",
                $"[B, {channels}, H, W] with {Rule}", $"{ShapeCheck.Format(s)}: {failure.Message}");
        }
        t_current = trace;
        if (!training && MeasuresPlan && !_calibrating && !_measured) KeepMeasuredOptimizationsIfFaster(input);
    }

    /// <summary>Whether the first pass after eval() measures the plan's layout and GEMM choices and drops the slower
    /// (default); false keeps every requested transformation, as tests comparing outputs need.</summary>
    public bool MeasuresPlan { get; set; } = true;

    private bool _calibrating, _measured;

    /// <summary>A new eval() or train() measures again.</summary>
    protected override void OnModeChanged()
    {
        if (!_calibrating) _measured = false;
    }

    /// <summary>
    /// Two transformations of the inference plan help some networks and slow others:
    /// <see cref="InferenceOptimizations.ChannelsLast"/> changes the layout every later layer sees, and
    /// <see cref="InferenceOptimizations.OneDnnLinear"/> (with <see cref="InferenceOptimizations.FuseActivations"/>, which
    /// needs it) trades one GEMM library for another. So the first pass after
    /// <see cref="Module.eval"/> measures the whole forward pass on its input with and without each in turn (the fastest
    /// of three passes each, alternating, after one warm-up; whole passes, since per-layer choices measured noisy and blind to later
    /// layers) and drops it from <see cref="Module.optimizations"/> when it is not faster. A transformation that
    /// changes no layer of the model is dropped unmeasured. These passes run hooks-free and unrecorded; they cost the
    /// first call a few extra passes.
    /// </summary>
    private void KeepMeasuredOptimizationsIfFaster(Tensor input)
    {
        _calibrating = true;
        try
        {
            using var quiet = new QuietScope();
            Measure(InferenceOptimizations.ChannelsLast, modules().OfType<Conv2d>().Any());
            // the activations a linear layer applies need its oneDNN matmul: the two stay or go together
            Measure(InferenceOptimizations.OneDnnLinear | InferenceOptimizations.FuseActivations,
                modules().OfType<Linear>().Any() || modules().OfType<MultiheadAttention>().Any() || modules().OfType<Conv2d>().Any());
        }
        finally
        {
            _calibrating = false;
            _measured = true;
        }

        void Measure(InferenceOptimizations candidate, bool applies)
        {
            var with = optimizations;
            if ((with & candidate) == 0) return;
            var without = with & ~candidate;
            if (!applies)
            {
                eval(without);
                return;
            }
            double Pass(InferenceOptimizations plan)
            {
                eval(plan);
                long start = System.Diagnostics.Stopwatch.GetTimestamp();
                forward(input).Dispose();
                return System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }
            Pass(with);
            double withTime = double.MaxValue, withoutTime = double.MaxValue;
            for (int i = 0; i < 3; i++)
            {
                withoutTime = Math.Min(withoutTime, Pass(without));
                withTime = Math.Min(withTime, Pass(with));
            }
            eval(withTime < withoutTime ? with : without);
        }
    }

    /// <summary>The input sizes the model accepts, in words.</summary>
    public string Rule => _rule ??= ResolutionRules.Describe(Analysis);
    private string? _rule;

    /// <summary>Compares a stage's output with the inferred shape at the current input size.</summary>
    protected void CheckStage(int index, Tensor output)
    {
        if (!CheckStages || t_current is null) return;
        var expected = t_current.Stages[index];
        long batch = output.Shape.Length > 0 ? output.Shape[0] : 0;
        if (!output.Shape.AsSpan().SequenceEqual(expected.Output.ToArray(batch)))
            throw new ShapeMismatchException($"{name} ({expected.Name} output)", expected.Output.ToString(), ShapeCheck.Format(output.Shape));
    }

    /// <summary>Compares a token stage's output with the inferred shape [B, T + H·W, C].</summary>
    protected void CheckStage(int index, TokenState output) => CheckStage(index, output.Tokens);

    /// <summary>Runs repeated blocks in order.</summary>
    protected static T Chain<T>(Module<T, T>[] blocks, T input)
    {
        var x = input;
        foreach (var block in blocks) x = block.call(x);
        return x;
    }

    protected static Tensor FeatureMap(Tensor stageOutput) => stageOutput;

    /// <summary>A token stage's image tokens as a feature map [B, C, H, W].</summary>
    protected static Tensor FeatureMap(TokenState stageOutput) => stageOutput.ImageMap();

    protected static IReadOnlyList<Tensor> MoveToOuter(DisposeScope scope, List<Tensor> features)
    {
        foreach (var f in features) scope.MoveToOuter(f);
        return features;
    }
}
