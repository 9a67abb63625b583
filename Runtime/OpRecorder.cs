using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace ArchDsl.Runtime;

/// <summary>One numeric operation the runtime executed: the module path it ran in (relative to the recorder's
/// root, "" for the root), its name (<c>conv2d</c>, <c>relu</c>, <c>add_scalar</c>, <c>matmul</c>, …), the shapes of
/// its tensor operands (input first, then weight, bias, … as passed), the output shape, and its arguments.</summary>
public sealed record OpRecord(string Path, string Op, long[][] Inputs, long[] Output, string Detail)
{
    /// <summary>Values the op produces.</summary>
    public long Elements => Numel(Output);

    /// <summary>Multiply-accumulates of conv2d, conv_transpose2d, linear, matmul and bmm (from the operand shapes), 0 for
    /// every other op: the run-time counterpart of the analytic <c>macs</c> convention.</summary>
    public long Macs => Op switch
    {
        // weight [out, in / groups, kh, kw]: each output value sums in / groups · kh · kw products
        "conv2d" when Inputs.Length > 1 => Elements * Numel(Inputs[1]) / Inputs[1][0],
        // weight [in, out / groups, kh, kw]: each input value scatters through out / groups · kh · kw products
        "conv_transpose2d" when Inputs.Length > 1 => Numel(Inputs[0]) * (Numel(Inputs[1]) / Inputs[1][0]),
        "linear" when Inputs.Length > 1 => Elements * Inputs[1][^1],
        "matmul" or "bmm" when Inputs.Length > 0 => Elements * (Inputs[0].Length == 0 ? 1 : Inputs[0][^1]),
        _ => 0,
    };

    private static long Numel(long[] shape)
    {
        long n = 1;
        foreach (var s in shape) n *= s;
        return n;
    }

    /// <summary>"stages.0.conv: conv2d [1, 3, 8, 8] [8, 3, 3, 3] → [1, 8, 8, 8] (stride=(1, 1), …)".</summary>
    public override string ToString()
    {
        var text = new StringBuilder(Path.Length == 0 ? "(root)" : Path).Append(": ").Append(Op);
        foreach (var input in Inputs) text.Append(' ').Append(ShapeCheck.Format(input));
        text.Append(" → ").Append(ShapeCheck.Format(Output));
        if (Detail.Length > 0) text.Append(" (").Append(Detail).Append(')');
        return text.ToString();
    }
}

/// <summary>
/// Records, while open on a thread, every numeric operation the runtime executes there (convolutions, linears, norms,
/// activations, element-wise arithmetic, products, reductions, pooling, resampling, active dropout), each with the
/// module it ran in, so a test can compare a module's operations with the analytic trace of the same block. Layout,
/// indexing and copies (reshape, view, permute, transpose, cat, split, chunk, narrow, select, contiguous, expand,
/// alias, pad, to, clone) are not recorded.
/// <para>An op's path is that of the innermost module on the call stack (modules invoked through <c>call</c>) that the
/// root's <c>named_modules()</c> knows; a module that is not registered, or registered inline, counts as the
/// registered module above it. Ops outside the root go to the root (""). Recorders nest: every open recorder of the
/// thread sees each op. When none is open an op pays one thread-static read.</para>
/// </summary>
public sealed class OpRecorder : IDisposable
{
    [ThreadStatic] private static OpRecorder? t_current;
    [ThreadStatic] private static List<Module>? t_modules;
    [ThreadStatic] private static int t_suppressed;

    private readonly OpRecorder? _outer;
    private readonly Dictionary<Module, string> _paths = new(ReferenceEqualityComparer.Instance);
    private readonly List<OpRecord> _records = new();
    private readonly HashSet<string> _called = new() { "" };
    private bool _disposed;

    private OpRecorder(Module root, OpRecorder? outer)
    {
        _outer = outer;
        foreach (var (path, module) in root.named_modules()) _paths[module] = path;
    }

    /// <summary>Starts recording on this thread; paths are relative to <paramref name="root"/> as its
    /// <c>named_modules()</c> gives them now. Dispose to stop.</summary>
    public static OpRecorder Start(Module root)
    {
        ArgumentNullException.ThrowIfNull(root);
        return t_current = new OpRecorder(root, t_current);
    }

    /// <summary>The operations recorded so far, in execution order.</summary>
    public IReadOnlyList<OpRecord> Records => _records;

    /// <summary>The paths of the modules called while recording (the root's "" included): the modules an op can be
    /// recorded at. A registered container whose forward is never called (a path holder) is not among them.</summary>
    public IReadOnlySet<string> CalledModules => _called;

    internal static bool IsActive => t_current is not null;

    // ---- the module stack, kept by Module<TIn, TOut>.call while a recorder is open ----

    internal static void EnterModule(Module module)
    {
        (t_modules ??= new List<Module>()).Add(module);
        for (var r = t_current; r is not null; r = r._outer)
        {
            if (!r._disposed && r._paths.TryGetValue(module, out var path)) r._called.Add(path);
        }
    }

    internal static void ExitModule(Module module)
    {
        var stack = t_modules;
        if (stack is null) return;
        int last = stack.Count - 1;
        if (last >= 0 && ReferenceEquals(stack[last], module)) stack.RemoveAt(last);
        else if (stack.LastIndexOf(module) is var at and >= 0) stack.RemoveAt(at);
    }

    // ---- recording ----

    /// <summary>Leaves the ops run inside the scope unrecorded: a composite op records itself once, not its parts.</summary>
    internal static SuppressScope Suppress()
    {
        t_suppressed++;
        return new SuppressScope();
    }

    internal readonly struct SuppressScope : IDisposable
    {
        public void Dispose() => t_suppressed--;
    }

    /// <summary>Records <paramref name="op"/> in every open recorder of this thread (null inputs are left out).
    /// Call only when <see cref="IsActive"/>, so callers build <paramref name="detail"/> only then.</summary>
    internal static void Record(string op, Tensor output, string detail, params ReadOnlySpan<Tensor?> inputs)
    {
        if (t_suppressed > 0) return;
        int count = 0;
        foreach (var input in inputs) if (input is not null) count++;
        var shapes = new long[count][];
        int i = 0;
        foreach (var input in inputs) if (input is not null) shapes[i++] = input.shape;
        var outputShape = output.shape;
        for (var r = t_current; r is not null; r = r._outer)
        {
            if (!r._disposed) r._records.Add(new OpRecord(r.PathOfCurrentModule(), op, shapes, outputShape, detail));
        }
    }

    private string PathOfCurrentModule()
    {
        var stack = t_modules;
        if (stack is null) return "";
        for (int i = stack.Count - 1; i >= 0; i--)
        {
            if (_paths.TryGetValue(stack[i], out var path)) return path;
        }
        return "";
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (!ReferenceEquals(t_current, this)) return;
        var outer = _outer;
        while (outer is { _disposed: true }) outer = outer._outer;
        t_current = outer;
    }

    // ---- detail formatting (only called while recording) ----

    internal static string Number(double value) => value.ToString(CultureInfo.InvariantCulture);

    internal static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    internal static string Pair((long h, long w) value) => $"({Number(value.h)}, {Number(value.w)})";

    internal static string Dims(ReadOnlySpan<long> dims) => ShapeCheck.Format(dims);

    internal static string Bool(bool value) => value ? "true" : "false";
}
