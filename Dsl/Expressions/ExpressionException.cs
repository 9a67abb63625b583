using System;

namespace ArchDsl.Dsl.Expressions
{
    /// <summary>An expression that cannot be parsed or evaluated; Offset is the character within the expression.</summary>
    public sealed class ExpressionException : Exception
    {
        public ExpressionException(string message, int offset) : base(message) => Offset = offset;

        public int Offset { get; }
    }
}
