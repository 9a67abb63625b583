using System.Collections.Generic;

namespace ArchDsl.Dsl.Text
{
    /// <summary>Where the lines of a text start, by the line terminators C# and Roslyn's SourceText recognise (\r\n, \r,
    /// \n, U+0085, U+2028, U+2029; C# language specification, "Line terminators"), so that a span's line and column are
    /// the ones an editor shows for its offsets.</summary>
    public sealed class LineMap
    {
        private readonly List<int> _starts = new List<int> { 0 };

        public LineMap(string text)
        {
            Length = text.Length;
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++;
                else if (!IsLineTerminator(c)) continue;
                _starts.Add(i + 1);
            }
        }

        /// <summary>The length of the text: every span this map makes lies within [0, Length].</summary>
        public int Length { get; }

        public static bool IsLineTerminator(char c) => c is '\n' or '\r' or '\u0085' or '\u2028' or '\u2029';

        /// <summary>The span from <paramref name="start"/> to <paramref name="end"/>, both clamped into the text.</summary>
        public SourceSpan Span(long start, long end)
        {
            int s = Clamp(start, 0), e = Clamp(end, s);
            var (startLine, startColumn) = Position(s);
            var (endLine, endColumn) = Position(e);
            return new SourceSpan(s, e, startLine, startColumn, endLine, endColumn);
        }

        private int Clamp(long offset, int min) => (int)System.Math.Max(min, System.Math.Min(Length, offset));

        private (int Line, int Column) Position(int offset)
        {
            int low = 0, high = _starts.Count - 1;
            while (low < high)
            {
                int mid = (low + high + 1) / 2;
                if (_starts[mid] <= offset) low = mid;
                else high = mid - 1;
            }
            return (low, offset - _starts[low]);
        }
    }
}
