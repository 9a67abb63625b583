using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using ArchDsl.Dsl.Blocks;
using ArchDsl.Dsl.Diagnostics;

namespace ArchDsl.Dsl.Text
{
    /// <summary>How values of an architecture file are written into generated C#: one place for literals, quoting,
    /// comment text and identifiers.</summary>
    public static class CSharp
    {
        /// <summary>C#'s reserved keywords (C# language specification, "Keywords"): an identifier spelled like one is
        /// written with '@'.</summary>
        private static readonly HashSet<string> s_keywords = new HashSet<string>(StringComparer.Ordinal)
        {
            "abstract", "as", "base", "bool", "break", "byte", "case", "catch", "char", "checked", "class", "const", "continue",
            "decimal", "default", "delegate", "do", "double", "else", "enum", "event", "explicit", "extern", "false", "finally",
            "fixed", "float", "for", "foreach", "goto", "if", "implicit", "in", "int", "interface", "internal", "is", "lock",
            "long", "namespace", "new", "null", "object", "operator", "out", "override", "params", "private", "protected",
            "public", "readonly", "ref", "return", "sbyte", "sealed", "short", "sizeof", "stackalloc", "static", "string",
            "struct", "switch", "this", "throw", "true", "try", "typeof", "uint", "ulong", "unchecked", "unsafe", "ushort",
            "using", "virtual", "void", "volatile", "while",
        };

        /// <summary>Contextual keywords that change the meaning of the generated code when a type takes their name (a class
        /// named <c>var</c> makes every <c>var x = …</c> declare that class; <c>nameof</c>, <c>dynamic</c>, <c>global</c>
        /// likewise), and those C# forbids or warns about as type names (<c>record</c>, <c>file</c>, <c>scoped</c>, …).</summary>
        private static readonly HashSet<string> s_reservedTypeNames = new HashSet<string>(StringComparer.Ordinal)
        {
            "var", "dynamic", "nameof", "global", "record", "file", "scoped", "required", "unmanaged", "notnull", "managed",
            "value", "field", "async", "await", "partial", "yield", "when", "where", "_",
        };

        /// <summary>The members ArchDsl.Generator writes into a family's class (Generator/Emitter.cs) and into each
        /// variant's class: neither class may take one of these names.</summary>
        public static IReadOnlyCollection<string> GeneratedMembers { get; } = new HashSet<string>(StringComparer.Ordinal)
        {
            // the family's class
            "SourceFile", "Source", "s_analysis", "Analysis", "VariantNames", "Info", "Create", "Blocks",
            // each variant's class
            "FullName", "Parameters", "InputChannels", "InputHeight", "InputWidth", "ResolutionRule", "Macs", "StageShapes",
            "Spec", "MacsAt", "forward", "ForwardFeatures",
        };

        /// <summary>Whether <paramref name="text"/> is a C# identifier: a letter or '_' first, then letters, digits, '_'.</summary>
        public static bool IsIdentifier(string text)
        {
            if (text.Length == 0 || !(char.IsLetter(text[0]) || text[0] == '_')) return false;
            foreach (char c in text)
                if (!(char.IsLetterOrDigit(c) || c == '_')) return false;
            return true;
        }

        /// <summary>An identifier as C# source: a keyword is escaped with '@' (a family named <c>class</c> is <c>@class</c>).</summary>
        public static string Identifier(string name) => s_keywords.Contains(name) ? "@" + name : name;

        /// <summary>Why <paramref name="name"/> cannot name a generated class, or null when it can: not an identifier or
        /// reserved by C# (ADSL003), or taken (ADSL012). <paramref name="enclosing"/> is the class it is nested in (a
        /// variant's family), whose name and members it may not take.</summary>
        public static (DiagnosticId Id, string Message)? TypeNameProblem(string name, string? enclosing)
        {
            if (!IsIdentifier(name))
                return (DiagnosticId.WrongType, "is not a C# identifier (letters, digits, _; not starting with a digit)");
            if (s_reservedTypeNames.Contains(name))
                return (DiagnosticId.WrongType, "is reserved by C# (a class of that name would change the meaning of the generated code)");
            // a family's class holds the generated members, a variant's class is among them: neither may be named like one
            if (GeneratedMembers.Contains(name))
                return (DiagnosticId.Duplicate, "is the name of a member ArchDsl generates (" + string.Join(", ", GeneratedMembers) + ")");
            if (name == enclosing)
                return (DiagnosticId.Duplicate, "is the family's own name (a nested class may not be named like the class that holds it)");
            return null;
        }

        /// <summary>Text for a comment or documentation line: every character C# takes as a line end (\r, \n, U+0085,
        /// U+2028, U+2029; C# language specification, "Line terminators") becomes a space, so the text cannot end the
        /// comment and spill into code.</summary>
        public static string OneLine(string text)
        {
            var b = new StringBuilder(text.Length);
            foreach (char c in text)
                b.Append(LineMap.IsLineTerminator(c) || char.IsControl(c) ? ' ' : c);
            return b.ToString();
        }

        public static string Literal(object? value) => value switch
        {
            long l => l.ToString(CultureInfo.InvariantCulture),
            int i => i.ToString(CultureInfo.InvariantCulture),
            double d => Literal(d),
            bool b => b ? "true" : "false",
            string s => Quote(s),
            long[] list => "new long[] { " + string.Join(", ", list.Select(l => l.ToString(CultureInfo.InvariantCulture))) + " }",
            EnumMember e => $"global::{e.EnumType}.{e.Member}",
            Blocks.Primitives.AxisSizes a => "new (string, long)[] { " + string.Join(", ", a.Items.Select(i => $"({Quote(i.Axis)}, {i.Size.ToString(CultureInfo.InvariantCulture)}L)")) + " }",
            null => "null",
            _ => throw new ArgumentException($"no C# literal for {value.GetType().Name}"),
        };

        public static string Literal(double value)
        {
            if (double.IsNaN(value) || double.IsInfinity(value))
                throw new ArgumentException($"{value} has no C# literal");
            var text = value.ToString("R", CultureInfo.InvariantCulture);
            return text.Contains(".") || text.Contains("E") ? text : text + ".0";
        }

        /// <summary>A regular string literal; every character C# would take as a line end is escaped.</summary>
        public static string Quote(string text)
        {
            var b = new StringBuilder(text.Length + 2).Append('"');
            foreach (char c in text)
            {
                switch (c)
                {
                    case '\\': b.Append("\\\\"); break;
                    case '"': b.Append("\\\""); break;
                    case '\n': b.Append("\\n"); break;
                    case '\r': b.Append("\\r"); break;
                    case '\u0085': b.Append("\\u0085"); break;
                    case '\u2028': b.Append("\\u2028"); break;
                    case '\u2029': b.Append("\\u2029"); break;
                    default:
                        if (char.IsControl(c)) b.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                        else b.Append(c);
                        break;
                }
            }
            return b.Append('"').ToString();
        }
    }
}
