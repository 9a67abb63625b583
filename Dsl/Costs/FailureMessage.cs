using System.Runtime.CompilerServices;
using System.Text;

namespace ArchDsl.Dsl.Costs
{
    /// <summary>The message of a shape check, formatted only when the check fails: traces run hundreds of times per
    /// variant (to find the input sizes it accepts), and almost every check passes.</summary>
    [InterpolatedStringHandler]
    public ref struct FailureMessage
    {
        private readonly StringBuilder? _text;

        public FailureMessage(int literalLength, int formattedCount, bool condition, out bool shouldAppend)
        {
            shouldAppend = !condition;
            _text = condition ? null : new StringBuilder(literalLength + 16 * formattedCount);
        }

        public void AppendLiteral(string text) => _text?.Append(text);

        public void AppendFormatted<T>(T value) => _text?.Append(value is System.IFormattable f
            ? f.ToString(null, System.Globalization.CultureInfo.InvariantCulture)
            : value?.ToString());

        public override string ToString() => _text?.ToString() ?? "";
    }
}
