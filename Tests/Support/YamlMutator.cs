using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace ArchDsl.Tests.Support;

/// <summary>Seeded mutations of an architecture file: the edits a person makes by mistake (a cut line, a lost bracket, a
/// typo in a number) and those an attacker tries (huge or non-finite numbers, deep nesting, aliases, C# keywords as
/// names, line terminators C# knows and YAML does not). The same seed gives the same files.</summary>
public sealed class YamlMutator
{
    private static readonly string[] s_tokens =
    {
        "{", "}", "[", "]", ":", ",", "- ", "\"", "'", "#", "&a ", "*a", "!!str ", "---\n", "...\n", "? ", "|\n", ">\n",
        "\r", "\n", "\r\n", "\t", "\u0085", "\u2028", "\u2029", "\0", "\uFEFF", "\uD800", "é", "{i}", "{act}", "(", ")", "**",
    };

    private static readonly string[] s_numbers =
    {
        "0", "-1", "1", "2", "3", "7", "1000", "1001", "65536", "2147483648", "9223372036854775808", "1e999", "-1e999",
        "1e-999", "0.5", "1.5", "nan", ".nan", ".inf", "\"1e999 - 1e999\"", "\"1e308 * 10\"", "\"0 ** -1\"", "\"(-8) ** 0.5\"",
        "\"2 ** 62\"", "\"1 // 0\"", "\"10 % 0\"", "null", "~", "true", "[]", "{}",
    };

    private static readonly string[] s_words =
    {
        "class", "var", "Create", "Blocks", "Info", "Source", "forward", "string", "@x", "a_b", "a.b", "a..b", "0", "_",
        "conv2d", "linear", "residual", "sequence", "parallel", "map_to_tokens", "tokens_to_map", "layernorm", "mean_pool",
        "input", "output", "in_channels", "channels", "width", "depth", "heads", "stem", "head", "stages", "variants",
    };

    private static readonly Regex s_number = new(@"(?<![\w.])\d+(\.\d+)?(?![\w.])", RegexOptions.Compiled);
    private static readonly Regex s_word = new(@"[A-Za-z_][A-Za-z0-9_]*", RegexOptions.Compiled);

    private readonly Random _random;

    public YamlMutator(int seed) => _random = new Random(seed);

    /// <summary>One to four mutations of <paramref name="text"/>.</summary>
    public string Mutate(string text)
    {
        int count = 1 + _random.Next(4);
        for (int i = 0; i < count; i++) text = MutateOnce(text);
        return text;
    }

    private string MutateOnce(string text)
    {
        if (text.Length == 0) return Pick(s_tokens);
        int at = _random.Next(text.Length + 1);
        switch (_random.Next(14))
        {
            case 0: return text.Remove(at, Math.Min(text.Length - at, 1 + _random.Next(20)));
            case 1: return text.Insert(at, Pick(s_tokens));
            case 2: return ReplaceMatch(text, s_number, Pick(s_numbers));
            case 3: return ReplaceMatch(text, s_word, Pick(s_words));
            case 4: return ReplaceMatch(text, s_word, Pick(s_word.Matches(text).Select(m => m.Value).ToArray()));
            case 5: return EditLines(text, lines => lines.RemoveAt(_random.Next(lines.Count)));
            case 6: return EditLines(text, lines => lines.Insert(_random.Next(lines.Count), lines[_random.Next(lines.Count)]));
            case 7: return EditLines(text, lines =>
            {
                int a = _random.Next(lines.Count), b = _random.Next(lines.Count);
                (lines[a], lines[b]) = (lines[b], lines[a]);
            });
            case 8: return EditLines(text, lines =>
            {
                int k = _random.Next(lines.Count);
                lines[k] = _random.Next(2) == 0 ? "  " + lines[k] : lines[k].TrimStart();
            });
            case 9: return text.Substring(0, at);
            case 10: return text.Insert(at, Nested());
            case 11: return text.Insert(at, Pick(s_numbers));
            case 12: return text.Insert(at, Pick(s_words));
            default:
                // a character swapped for a neighbour on the keyboard's ASCII range
                if (at == text.Length) return text;
                return text.Substring(0, at) + (char)(32 + _random.Next(95)) + text.Substring(at + 1);
        }
    }

    /// <summary>Deep nesting: brackets, braces, parentheses in an expression or an alias chain.</summary>
    private string Nested()
    {
        int depth = 1 + _random.Next(_random.Next(2) == 0 ? 50 : 2000);
        return _random.Next(4) switch
        {
            0 => new string('[', depth) + new string(']', _random.Next(depth + 1)),
            1 => string.Concat(Enumerable.Repeat("{a: ", depth)) + "1" + new string('}', _random.Next(depth + 1)),
            2 => "\"" + new string('(', depth) + "1" + new string(')', depth) + "\"",
            _ => "\"" + string.Join(" + ", Enumerable.Repeat("1", depth)) + "\"",
        };
    }

    private string ReplaceMatch(string text, Regex pattern, string replacement)
    {
        var matches = pattern.Matches(text);
        if (matches.Count == 0) return text;
        var m = matches[_random.Next(matches.Count)];
        return text.Substring(0, m.Index) + replacement + text.Substring(m.Index + m.Length);
    }

    private string EditLines(string text, Action<List<string>> edit)
    {
        var lines = text.Split('\n').ToList();
        edit(lines);
        return string.Join("\n", lines);
    }

    private string Pick(string[] items) => items.Length == 0 ? "" : items[_random.Next(items.Length)];
}
