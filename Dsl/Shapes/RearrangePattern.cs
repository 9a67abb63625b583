using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using ArchDsl.Dsl.Util;

namespace ArchDsl.Dsl.Shapes
{
    /// <summary>
    /// An einops <c>rearrange</c> pattern such as <c>b c (h ph) (w pw) -> b (ph pw) (h w) c</c>: the one definition that
    /// the compile-time shape inference and the runtime <c>Rearrange</c> module share. Supported subset: named axes
    /// separated by spaces, composite axes in one level of parentheses, every axis exactly once on each side (no
    /// reduction, repetition, ellipsis or anonymous axes), at most one unknown size per composite group.
    /// </summary>
    public sealed class RearrangePattern
    {
        private readonly string[] _leftAxes;
        private readonly int[] _permutation;
        private readonly int[] _rightGroupEnds;

        private RearrangePattern(string text, RearrangeGroup[] left, RearrangeGroup[] right, string[] leftAxes, string[] rightAxes)
        {
            Text = text;
            Left = new EquatableArray<RearrangeGroup>(left);
            Right = new EquatableArray<RearrangeGroup>(right);
            _leftAxes = leftAxes;
            LeftAxes = new EquatableArray<string>(leftAxes);
            RightAxes = new EquatableArray<string>(rightAxes);
            _permutation = new int[rightAxes.Length];
            for (int i = 0; i < rightAxes.Length; i++) _permutation[i] = Array.IndexOf(leftAxes, rightAxes[i]);
            _rightGroupEnds = new int[right.Length];
            int end = 0;
            for (int g = 0; g < right.Length; g++) _rightGroupEnds[g] = end += right[g].Axes.Count;
        }

        /// <summary>The pattern as written.</summary>
        public string Text { get; }

        /// <summary>The input's dimensions, one group each.</summary>
        public EquatableArray<RearrangeGroup> Left { get; }

        /// <summary>The output's dimensions, one group each.</summary>
        public EquatableArray<RearrangeGroup> Right { get; }

        /// <summary>The elementary axes in left-side order (the dimensions after the first reshape).</summary>
        public EquatableArray<string> LeftAxes { get; }

        /// <summary>The elementary axes in right-side order (the dimensions after the permutation).</summary>
        public EquatableArray<string> RightAxes { get; }

        /// <summary>Whether <paramref name="axis"/> is one of the pattern's named axes.</summary>
        public bool Contains(string axis) => Array.IndexOf(_leftAxes, axis) >= 0;

        /// <summary>The pattern with single spaces, e.g. <c>b c (h ph) (w pw) -> b c (ph pw) (h w)</c>.</summary>
        public override string ToString() => SideText(Left) + " -> " + SideText(Right);

        /// <summary>One side as written with single spaces, e.g. <c>b c (h ph) (w pw)</c>.</summary>
        public static string SideText(EquatableArray<RearrangeGroup> side)
        {
            var text = new StringBuilder();
            for (int i = 0; i < side.Count; i++)
            {
                if (i > 0) text.Append(' ');
                text.Append(side[i]);
            }
            return text.ToString();
        }

        // ---- parsing ----

        /// <summary>Parses <c>lhs -> rhs</c>; a malformed pattern is a <see cref="RearrangeException"/> whose
        /// <see cref="RearrangeException.Offset"/> is the character where the problem is.</summary>
        public static RearrangePattern Parse(string text)
        {
            if (text == null) throw new ArgumentNullException(nameof(text));
            int arrow = text.IndexOf("->", StringComparison.Ordinal);
            if (arrow < 0) throw new RearrangeException("missing '->' between the left and the right side", text.Length);
            int second = text.IndexOf("->", arrow + 2, StringComparison.Ordinal);
            if (second >= 0) throw new RearrangeException("'->' appears twice", second);

            var left = ParseSide(text, 0, arrow, "left");
            var right = ParseSide(text, arrow + 2, text.Length, "right");
            var leftAxes = Elementary(left, "left");
            var rightAxes = Elementary(right, "right");
            for (int i = 0; i < rightAxes.Length; i++)
            {
                if (Array.IndexOf(leftAxes, rightAxes[i]) < 0)
                    throw new RearrangeException($"axis '{rightAxes[i]}' of the right side is not on the left", OffsetOf(right, rightAxes[i]));
            }
            for (int i = 0; i < leftAxes.Length; i++)
            {
                if (Array.IndexOf(rightAxes, leftAxes[i]) < 0)
                    throw new RearrangeException($"axis '{leftAxes[i]}' of the left side is not on the right (rearrange neither reduces nor drops axes)",
                        OffsetOf(left, leftAxes[i]));
            }
            return new RearrangePattern(text, left, right, leftAxes, rightAxes);
        }

        private static RearrangeGroup[] ParseSide(string text, int start, int end, string side)
        {
            var groups = new List<RearrangeGroup>();
            List<string>? open = null;
            List<int>? openOffsets = null;
            int openAt = -1;
            int i = start;
            while (i < end)
            {
                char c = text[i];
                if (char.IsWhiteSpace(c))
                {
                    i++;
                }
                else if (c == '(')
                {
                    if (open != null) throw new RearrangeException("nested parenthesis: composite axes take one level of parentheses", i);
                    open = new List<string>();
                    openOffsets = new List<int>();
                    openAt = i++;
                }
                else if (c == ')')
                {
                    if (open == null || openOffsets == null) throw new RearrangeException("unbalanced parenthesis: ')' without '('", i);
                    if (open.Count == 0) throw new RearrangeException("empty group '()': every dimension needs a named axis", openAt);
                    groups.Add(new RearrangeGroup(new EquatableArray<string>(open), new EquatableArray<int>(openOffsets), true, openAt));
                    open = null;
                    openOffsets = null;
                    i++;
                }
                else if (IsIdentifierStart(c))
                {
                    int from = i;
                    while (i < end && IsIdentifierPart(text[i])) i++;
                    string name = text.Substring(from, i - from);
                    if (open != null && openOffsets != null)
                    {
                        open.Add(name);
                        openOffsets.Add(from);
                    }
                    else
                    {
                        groups.Add(new RearrangeGroup(new EquatableArray<string>(new[] { name }), new EquatableArray<int>(new[] { from }), false, from));
                    }
                }
                else if (c >= '0' && c <= '9')
                {
                    int from = i;
                    while (i < end && IsIdentifierPart(text[i])) i++;
                    throw new RearrangeException($"anonymous axis '{text.Substring(from, i - from)}' is not supported: name every axis", from);
                }
                else if (c == '.')
                {
                    bool ellipsis = i + 2 < end && text[i + 1] == '.' && text[i + 2] == '.';
                    throw new RearrangeException(ellipsis ? "ellipsis '...' is not supported: name every axis" : "unexpected character '.'", i);
                }
                else
                {
                    throw new RearrangeException($"unexpected character '{c}'", i);
                }
            }
            if (open != null) throw new RearrangeException("unbalanced parenthesis: '(' is not closed", openAt);
            if (groups.Count == 0) throw new RearrangeException($"the {side} side has no axes", start);
            return groups.ToArray();
        }

        private static bool IsIdentifierStart(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';

        private static bool IsIdentifierPart(char c) => IsIdentifierStart(c) || (c >= '0' && c <= '9');

        private static string[] Elementary(RearrangeGroup[] groups, string side)
        {
            var axes = new List<string>();
            foreach (var group in groups)
            {
                for (int j = 0; j < group.Axes.Count; j++)
                {
                    if (axes.Contains(group.Axes[j]))
                        throw new RearrangeException($"axis '{group.Axes[j]}' appears twice on the {side}", group.AxisOffsets[j]);
                    axes.Add(group.Axes[j]);
                }
            }
            return axes.ToArray();
        }

        private static int OffsetOf(RearrangeGroup[] groups, string axis)
        {
            foreach (var group in groups)
            {
                for (int j = 0; j < group.Axes.Count; j++)
                {
                    if (group.Axes[j] == axis) return group.AxisOffsets[j];
                }
            }
            return 0;
        }

        // ---- inference ----

        /// <summary>
        /// The sizes of every axis for an input of <paramref name="inputDims"/> (plain numbers: the caller decides what
        /// dimension 0 is), given the sizes of some axes; and the reshape, permutation and final shape that perform the
        /// rearrangement. Throws <see cref="RearrangeException"/> when the rank differs from the left side, a group
        /// cannot be split by the known sizes, a group has two unknown axes, or a known size contradicts the input.
        /// </summary>
        public RearrangePlan Infer(IReadOnlyList<long> inputDims, IReadOnlyList<KeyValuePair<string, long>> knownSizes)
        {
            if (inputDims == null) throw new ArgumentNullException(nameof(inputDims));
            if (knownSizes == null) throw new ArgumentNullException(nameof(knownSizes));
            int count = _leftAxes.Length;
            var sizes = new long[count];
            var known = new bool[count];
            for (int k = 0; k < knownSizes.Count; k++)
            {
                var (axis, size) = (knownSizes[k].Key, knownSizes[k].Value);
                int index = Array.IndexOf(_leftAxes, axis);
                if (index < 0) throw new RearrangeException($"a size is given for '{axis}', which is not an axis of '{this}'", 0);
                if (size <= 0) throw new RearrangeException($"axis '{axis}' must have a positive size, got {I(size)}", OffsetOf(axis));
                if (known[index] && sizes[index] != size)
                    throw new RearrangeException($"axis '{axis}' is given two sizes, {I(sizes[index])} and {I(size)}", OffsetOf(axis));
                sizes[index] = size;
                known[index] = true;
            }
            if (inputDims.Count != Left.Count)
            {
                throw new RearrangeException(
                    $"the left side '{SideText(Left)}' has {I(Left.Count)} dimension{(Left.Count == 1 ? "" : "s")}, the input has {I(inputDims.Count)}", 0);
            }

            int first = 0;
            for (int g = 0; g < Left.Count; g++)
            {
                var group = Left[g];
                long dim = inputDims[g];
                if (dim < 0) throw new RearrangeException($"input dimension {I(g)} has a negative size ({I(dim)})", group.Offset);
                int n = group.Axes.Count;
                long product = 1;
                int unknown = -1, unknownCount = 0;
                for (int j = 0; j < n; j++)
                {
                    if (known[first + j]) product = checked(product * sizes[first + j]);
                    else { unknown = first + j; unknownCount++; }
                }
                if (unknownCount == 0)
                {
                    if (product != dim)
                    {
                        throw new RearrangeException(n == 1
                            ? $"axis {group.Axes[0]} = {I(product)} contradicts the input, whose dimension {I(g)} is {I(dim)}"
                            : $"axis group {group}: the input has {I(dim)}, but {KnownProduct(group, first, sizes, known, product)}", group.Offset);
                    }
                }
                else if (unknownCount == 1)
                {
                    if (dim % product != 0)
                        throw new RearrangeException($"axis group {group}: {I(dim)} is not divisible by {KnownProduct(group, first, sizes, known, product)}", group.Offset);
                    sizes[unknown] = dim / product;
                }
                else
                {
                    throw new RearrangeException(
                        $"axis group {group}: {I(dim)} cannot be split, {UnknownNames(group, first, known)} have no known size (give all but one)", group.Offset);
                }
                first += n;
            }

            var output = new long[Right.Count];
            int axisIndex = 0;
            for (int g = 0; g < Right.Count; g++)
            {
                long product = 1;
                for (; axisIndex < _rightGroupEnds[g]; axisIndex++) product = checked(product * sizes[_permutation[axisIndex]]);
                output[g] = product;
            }
            bool permutes = false;
            for (int i = 0; i < _permutation.Length; i++) permutes |= _permutation[i] != i;
            return new RearrangePlan(LeftAxes, new EquatableArray<long>(sizes), new EquatableArray<int>(_permutation), new EquatableArray<long>(output),
                splitsInput: count != Left.Count, permutes: permutes, mergesOutput: count != Right.Count);
        }

        private int OffsetOf(string axis) => OffsetOf(ToArray(Left), axis);

        private static RearrangeGroup[] ToArray(EquatableArray<RearrangeGroup> groups)
        {
            var result = new RearrangeGroup[groups.Count];
            for (int i = 0; i < result.Length; i++) result[i] = groups[i];
            return result;
        }

        /// <summary>"ph = 2" or "ph·pw = 2·2 = 4".</summary>
        private static string KnownProduct(RearrangeGroup group, int first, long[] sizes, bool[] known, long product)
        {
            var names = new StringBuilder();
            var values = new StringBuilder();
            int terms = 0;
            for (int j = 0; j < group.Axes.Count; j++)
            {
                if (!known[first + j]) continue;
                if (terms++ > 0) { names.Append('·'); values.Append('·'); }
                names.Append(group.Axes[j]);
                values.Append(I(sizes[first + j]));
            }
            return terms == 1 ? $"{names} = {values}" : $"{names} = {values} = {I(product)}";
        }

        private static string UnknownNames(RearrangeGroup group, int first, bool[] known)
        {
            var names = new List<string>();
            for (int j = 0; j < group.Axes.Count; j++)
            {
                if (!known[first + j]) names.Add(group.Axes[j]);
            }
            return string.Join(" and ", names);
        }

        private static string I(long value) => value.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>One dimension of a side: a single axis, or a composite <c>(h ph)</c> whose size is the product of its axes'.</summary>
    /// <param name="Axes">The axis names, outermost first.</param>
    /// <param name="AxisOffsets">Where each name starts in the pattern text.</param>
    /// <param name="Composite">Written in parentheses.</param>
    /// <param name="Offset">Where the group starts in the pattern text.</param>
    public sealed record RearrangeGroup(EquatableArray<string> Axes, EquatableArray<int> AxisOffsets, bool Composite, int Offset)
    {
        public override string ToString()
        {
            if (!Composite) return Axes[0];
            var text = new StringBuilder("(");
            for (int i = 0; i < Axes.Count; i++)
            {
                if (i > 0) text.Append(' ');
                text.Append(Axes[i]);
            }
            return text.Append(')').ToString();
        }
    }

    /// <summary>
    /// How one input shape is rearranged: reshape to <see cref="Sizes"/> (one dimension per elementary axis, in
    /// left-side order), permute by <see cref="Permutation"/>, reshape to <see cref="Output"/>. The flags say which
    /// steps change anything.
    /// </summary>
    public sealed class RearrangePlan
    {
        internal RearrangePlan(EquatableArray<string> axes, EquatableArray<long> sizes, EquatableArray<int> permutation, EquatableArray<long> output,
            bool splitsInput, bool permutes, bool mergesOutput)
        {
            Axes = axes;
            Sizes = sizes;
            Permutation = permutation;
            Output = output;
            SplitsInput = splitsInput;
            Permutes = permutes;
            MergesOutput = mergesOutput;
        }

        /// <summary>The elementary axes in left-side order.</summary>
        public EquatableArray<string> Axes { get; }

        /// <summary>The size of each of <see cref="Axes"/>: the shape after the first reshape.</summary>
        public EquatableArray<long> Sizes { get; }

        /// <summary>For each output elementary axis (right-side order), its index in <see cref="Axes"/>.</summary>
        public EquatableArray<int> Permutation { get; }

        /// <summary>The final shape, one size per right-side group.</summary>
        public EquatableArray<long> Output { get; }

        /// <summary>The left side has a composite group, so the input must be reshaped to <see cref="Sizes"/> first.</summary>
        public bool SplitsInput { get; }

        /// <summary>The permutation is not the identity.</summary>
        public bool Permutes { get; }

        /// <summary>The right side has a composite group, so the permuted axes must be reshaped to <see cref="Output"/>.</summary>
        public bool MergesOutput { get; }

        /// <summary>The size of a named axis.</summary>
        public long SizeOf(string axis)
        {
            for (int i = 0; i < Axes.Count; i++)
            {
                if (Axes[i] == axis) return Sizes[i];
            }
            throw new ArgumentException($"'{axis}' is not an axis of the pattern", nameof(axis));
        }
    }

    /// <summary>A rearrange pattern that cannot be parsed, or an input it cannot take.</summary>
    public sealed class RearrangeException : Exception
    {
        public RearrangeException(string message, int offset) : base(message) => Offset = offset;

        /// <summary>The character of the pattern text where the problem is (0 when it concerns the whole pattern).</summary>
        public int Offset { get; }
    }
}
