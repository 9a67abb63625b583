using System;

namespace ArchDsl.Dsl.Expressions
{
    /// <summary>An expression that cannot be parsed or evaluated; Offset is the character within the expression.</summary>
    public sealed class ExpressionException : Exception
    {
        public ExpressionException(string message, int offset, bool limit = false) : base(message)
        {
            Offset = offset;
            Limit = limit;
        }

        public int Offset { get; }

        /// <summary>True when the expression passes one of the parser's bounds (depth, length): reported as a size out of
        /// range (ADSL005), not as a mistake in the expression.</summary>
        public bool Limit { get; }
    }
}
