using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ArchDsl.Dsl.Diagnostics;
using ArchDsl.Dsl.Shapes;
using ArchDsl.Dsl.Util;

namespace ArchDsl.Dsl.Costs
{
    /// <summary>
    /// What a block kind describes itself to: each call is one operation of the block, at a module path equal to
    /// the runtime module's state_dict prefix. The tracer infers the output shape, checks it, and records the
    /// operation's cost entry, so parameters and MACs under every convention come from one description.
    /// </summary>
    public sealed class Tracer
    {
        private readonly Totals _totals;
        private readonly List<CostEntry> _entries;
        private readonly string _prefix;
        private readonly bool _shapesOnly;

        /// <param name="shapesOnly">Check shapes without recording costs or module paths (for scanning which input
        /// sizes fit; failure messages then lack the path). Parameters are still counted.</param>
        public Tracer(bool shapesOnly = false) : this(new Totals(), new List<CostEntry>(), "", shapesOnly) { }

        private Tracer(Totals totals, List<CostEntry> entries, string prefix, bool shapesOnly)
        {
            _totals = totals;
            _entries = entries;
            _prefix = prefix;
            _shapesOnly = shapesOnly;
        }

        public IReadOnlyList<CostEntry> Entries => _entries;

        public bool ShapesOnly => _shapesOnly;

        /// <summary>Learnable parameters described so far, in either mode: a block traced at another input size must
        /// describe the same parameters it was built with.</summary>
        public long Parameters => _totals.Parameters;

        /// <summary>What the operations described so far warned about: an input they take but on which they degenerate
        /// (e.g. partial attention with no background token). The expansion reports them at the row, at the declared
        /// resolution.</summary>
        public IReadOnlyList<(DiagnosticId Id, string Message)> Warnings => _totals.Warnings;

        /// <summary>An input the operation runs on, but not as intended; unlike <see cref="Fail"/> the trace goes on.</summary>
        public void Warn(DiagnosticId id, string message) => _totals.Warnings.Add((id, message));

        /// <summary>Counts parameters described elsewhere (a block instance traced once for several uses).</summary>
        public void CountParameters(long count) => _totals.Parameters += count;

        /// <summary>A tracer for a sub-module: its operations' paths start with <paramref name="name"/>.</summary>
        public Tracer Scope(string name) =>
            name.Length == 0 || _shapesOnly ? this : new Tracer(_totals, _entries, _prefix + name + ".", _shapesOnly);

        public string PathOf(string name) => name.Length == 0 ? _prefix.TrimEnd('.') : _prefix + name;

        public Shape Conv2d(string name, Shape x, int outChannels, int kernel, int stride = 1, int? padding = null,
            int groups = 1, bool bias = true, int dilation = 1) =>
            Conv2d(name, x, outChannels, (kernel, kernel), stride, padding is { } p ? (p, p) : null, groups, bias, dilation);

        /// <summary>A convolution with a kernel of <paramref name="kernel"/> (height, width) and padding per axis.</summary>
        public Shape Conv2d(string name, Shape x, int outChannels, (int H, int W) kernel, int stride, (int H, int W)? padding,
            int groups = 1, bool bias = true, int dilation = 1)
        {
            RequireImage(name, x);
            var pad = padding ?? ((kernel.H - 1) / 2 * dilation, (kernel.W - 1) / 2 * dilation);
            if (x.Channels % groups != 0 || outChannels % groups != 0)
                Fail(DiagnosticId.HeadsDoNotDivide, $"{PathOf(name)}: {groups} groups must divide both {x.Channels} input and {outChannels} output channels");
            int h = Shape.ConvOut(x.Height, kernel.H, stride, pad.H, dilation);
            int w = Shape.ConvOut(x.Width, kernel.W, stride, pad.W, dilation);
            string size = $"{kernel.H}×{kernel.W}";
            if (h < 1 || w < 1)
                Fail(DiagnosticId.SpatialNotDivisible, $"{PathOf(name)}: a {size} window with stride {stride} and padding {(pad.H == pad.W ? I(pad.H) : $"{pad.H}×{pad.W}")} does not fit a {x.Height}×{x.Width} map");
            var y = x.WithDims(new[] { outChannels, h, w }, x.Spatial);
            long weights = (long)outChannels * (x.Channels / groups) * kernel.H * kernel.W;
            if (_shapesOnly) { _totals.Parameters += weights + (bias ? outChannels : 0); return y; }
            string what = groups == 1 ? "conv" : groups == x.Channels && groups == outChannels ? "dwconv" : $"conv/g{groups}";
            Add(name, OpKind.Conv, weights * y.Pixels, bias ? y.Elements : 0, y.Elements, weights + (bias ? outChannels : 0), false,
                $"{what} {size}/{stride} {x.Channels}→{outChannels}{(bias ? " +bias" : "")}");
            return y;
        }

        /// <summary>A transposed convolution: every input pixel scatters through the whole kernel.</summary>
        public Shape ConvTranspose2d(string name, Shape x, int outChannels, int kernel, int stride, int padding = 0, int outputPadding = 0,
            int groups = 1, bool bias = true)
        {
            RequireImage(name, x);
            if (x.Channels % groups != 0 || outChannels % groups != 0)
                Fail(DiagnosticId.HeadsDoNotDivide, $"{PathOf(name)}: {groups} groups must divide both {x.Channels} input and {outChannels} output channels");
            int h = (x.Height - 1) * stride - 2 * padding + kernel + outputPadding;
            int w = (x.Width - 1) * stride - 2 * padding + kernel + outputPadding;
            if (h < 1 || w < 1)
                Fail(DiagnosticId.SpatialNotDivisible, $"{PathOf(name)}: the transposed convolution of a {x.Height}×{x.Width} map has no output");
            var y = x.WithDims(new[] { outChannels, h, w }, x.Spatial);
            long weights = (long)x.Channels * (outChannels / groups) * kernel * kernel;
            if (_shapesOnly) { _totals.Parameters += weights + (bias ? outChannels : 0); return y; }
            Add(name, OpKind.ConvTranspose, weights * x.Pixels, bias ? y.Elements : 0, y.Elements, weights + (bias ? outChannels : 0), false,
                $"convT {kernel}×{kernel}/{stride} {x.Channels}→{outChannels}");
            return y;
        }

        public Shape BatchNorm2d(string name, Shape x)
        {
            RequireImage(name, x);
            if (_shapesOnly) { _totals.Parameters += 2L * x.Channels; return x; }
            Add(name, OpKind.BatchNorm, 0, 0, x.Elements, 2L * x.Channels, true, $"batchnorm {x.Channels}");
            return x;
        }

        /// <summary>LayerNorm over the last dimension (<paramref name="width"/>) of <paramref name="elements"/> values.</summary>
        public void LayerNorm(string name, long elements, int width, bool affine = true)
        {
            if (_shapesOnly) { _totals.Parameters += affine ? 2L * width : 0; return; }
            Add(name, OpKind.LayerNorm, 0, 0, elements, affine ? 2L * width : 0, affine, $"layernorm {width}");
        }

        public Shape GroupNorm(string name, Shape x, int groups, bool affine = true)
        {
            if (x.Channels % groups != 0)
                Fail(DiagnosticId.HeadsDoNotDivide, $"{PathOf(name)}: {groups} groups do not divide {x.Channels} channels");
            if (_shapesOnly) { _totals.Parameters += affine ? 2L * x.Channels : 0; return x; }
            Add(name, OpKind.GroupNorm, 0, 0, x.Elements, affine ? 2L * x.Channels : 0, affine, $"groupnorm {groups}×{x.Channels / groups}");
            return x;
        }

        /// <summary>A linear layer applied to <paramref name="tokens"/> vectors (1 for a classifier).</summary>
        public void Linear(string name, long tokens, int inFeatures, int outFeatures, bool bias = true)
        {
            long weights = (long)inFeatures * outFeatures;
            if (_shapesOnly) { _totals.Parameters += weights + (bias ? outFeatures : 0); return; }
            Add(name, OpKind.Linear, weights * tokens, bias ? outFeatures * tokens : 0, outFeatures * tokens,
                weights + (bias ? outFeatures : 0), false, $"linear {inFeatures}→{outFeatures}{(bias ? " +bias" : "")}{(tokens > 1 ? $" ×{tokens} tokens" : "")}");
        }

        /// <summary><paramref name="count"/> products of an m×k by a k×n matrix.</summary>
        public void Matmul(string name, long count, long m, long k, long n)
        {
            if (!_shapesOnly) Add(name, OpKind.Matmul, count * m * k * n, 0, count * m * n, 0, false, $"matmul {count}×({m}×{k} · {k}×{n})");
        }

        public void Activation(string name, string kind, long elements) =>
            Add(name, OpKind.Activation, 0, 0, elements, 0, false, kind);

        public void Elementwise(string name, long elements, string what) =>
            Add(name, OpKind.Elementwise, 0, 0, elements, 0, false, what);

        public void Softmax(string name, long elements) =>
            Add(name, OpKind.Softmax, 0, 0, elements, 0, false, "softmax");

        public void AdaptiveAvgPool(string name, long inputElements) =>
            Add(name, OpKind.AdaptiveAvgPool, 0, 0, inputElements, 0, false, "adaptive avg pool");

        public void Mean(string name, long inputElements) =>
            Add(name, OpKind.Mean, 0, 0, inputElements, 0, false, "mean");

        public void MaxPool(string name, long inputElements) =>
            Add(name, OpKind.MaxPool, 0, 0, inputElements, 0, false, "max pool");

        public void AvgPool(string name, long inputElements) =>
            Add(name, OpKind.AvgPool, 0, 0, inputElements, 0, false, "avg pool");

        /// <summary>A sum over some axes (e.g. a context vector summed over tokens).</summary>
        public void Sum(string name, long inputElements) =>
            Add(name, OpKind.Sum, 0, 0, inputElements, 0, false, "sum");

        public void Interpolate(string name, long outputElements, string mode)
        {
            if (!_shapesOnly) Add(name, OpKind.Interpolate, 0, 0, outputElements, 0, false, "interpolate " + mode);
        }

        public void Parameter(string name, long count, string what) =>
            Add(name, OpKind.Parameter, 0, 0, 0, count, false, what);

        /// <summary>Replaces the last entry's count under one convention (a counter's documented deviation).</summary>
        public void Override(string convention, long count)
        {
            if (_shapesOnly) return;
            var last = _entries[_entries.Count - 1];
            _entries[_entries.Count - 1] = last with
            {
                Overrides = last.Overrides.Concat(new[] { new ConventionOverride(convention, count) }).ToEquatableArray(),
            };
        }

        /// <summary>The entries from <paramref name="first"/> on count by <paramref name="rule"/> under one convention.</summary>
        public void OverrideFrom(int first, string convention, CountRule rule)
        {
            if (_shapesOnly) return;
            for (int i = first; i < _entries.Count; i++)
            {
                var entry = _entries[i];
                long value = rule.Count(entry, i == first);
                _entries[i] = entry with
                {
                    Overrides = entry.Overrides.Where(o => o.Convention != convention).Concat(new[] { new ConventionOverride(convention, value) }).ToEquatableArray(),
                };
            }
        }

        public void Require(bool condition, DiagnosticId id, [System.Runtime.CompilerServices.InterpolatedStringHandlerArgument("condition")] ref FailureMessage message)
        {
            if (!condition) Fail(id, message.ToString());
        }

        public static void Fail(DiagnosticId id, string message) => throw new ShapeException(id, message);

        private void RequireImage(string name, Shape x)
        {
            if (x.Rank != 3)
                Fail(DiagnosticId.FlowMismatch, $"{PathOf(name)} needs a feature map [B, C, H, W] but receives {x.FormName} {x}");
        }

        private void Add(string name, OpKind op, long macs, long biasAdds, long elements, long parameters, bool affine, string detail)
        {
            _totals.Parameters += parameters;
            if (_shapesOnly) return;
            _entries.Add(new CostEntry(PathOf(name), op, macs, biasAdds, elements, parameters, affine,
                detail, EquatableArray<ConventionOverride>.Empty));
        }

        internal static string I(long v) => v.ToString(CultureInfo.InvariantCulture);

        /// <summary>What every scope of one trace shares.</summary>
        private sealed class Totals
        {
            public long Parameters;
            public readonly List<(DiagnosticId Id, string Message)> Warnings = new List<(DiagnosticId, string)>();
        }
    }
}
