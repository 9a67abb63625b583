namespace ArchDsl.Dsl.Text
{
    /// <summary>A region of an architecture file: character offsets plus 0-based line/column
    /// (the form Roslyn's TextSpan and LinePositionSpan take).</summary>
    public readonly record struct SourceSpan(int Start, int End, int StartLine, int StartColumn, int EndLine, int EndColumn)
    {
        public static readonly SourceSpan None = default;

        public int Length => End - Start;

        /// <summary>1-based "line:column", as editors show it.</summary>
        public override string ToString() => $"{StartLine + 1}:{StartColumn + 1}";
    }
}
