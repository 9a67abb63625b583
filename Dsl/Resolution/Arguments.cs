using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ArchDsl.Dsl.Blocks;
using ArchDsl.Dsl.Diagnostics;
using ArchDsl.Dsl.Expressions;
using ArchDsl.Dsl.Model;
using ArchDsl.Dsl.Text;
using ArchDsl.Dsl.Util;

namespace ArchDsl.Dsl.Resolution
{
    /// <summary>Evaluates values against what they must be: a parameter's type, range and choices, a size, a flag.
    /// Every failure is a DslException at the value's span.</summary>
    public static class Arguments
    {
        /// <summary>A parameter as written: choices and text are taken as written, everything else evaluated.</summary>
        public static Value Check(ParamDecl decl, ValueSource source, VariableScope scope)
        {
            if (decl.Type == ParamType.Choice && !source.IsList && decl.Choices.Contains(source.Text))
                return Value.Of(source.Text);
            if (IsLiteralText(decl, source, scope.Names))
                return Value.Of(Templates.Expand(source.Text, source.Span, scope));
            return CheckValue(decl, Evaluator.Evaluate(source, scope), source.Span);
        }

        /// <summary>Text as written: quoted, or a plain name that is no variable (as YAML reads plain strings); for a
        /// choice, one of its choices.</summary>
        public static bool IsLiteralText(ParamDecl decl, ValueSource source, IEnumerable<string> variables) =>
            !source.IsList && (decl.Type == ParamType.Text
                ? !source.IsPlain || (Reading.NodeReader.IsIdentifier(source.Text) && !variables.Contains(source.Text))
                : decl.Type == ParamType.Choice && decl.Choices.Contains(source.Text));

        /// <summary>An evaluated value against the parameter's type, range and choices.</summary>
        public static Value CheckValue(ParamDecl decl, Value value, SourceSpan span)
        {
            string what = $"'{decl.Name}'";
            switch (decl.Type)
            {
                case ParamType.Int:
                    return Value.Of(Int(value, span, what, decl.Min, decl.Max));
                case ParamType.Number:
                    double number = Number(value, span, what);
                    if (number < decl.Min || number > decl.Max)
                        throw new DslException(DiagnosticId.OutOfRange, span, $"{what} is {Fmt(number)}, outside {decl.Describe()}");
                    return value;
                case ParamType.Bool:
                    return Value.Of(Bool(value, span, what));
                case ParamType.IntList:
                    if (value.Kind != ValueKind.List)
                        throw new DslException(DiagnosticId.WrongType, span, $"{what} must be a list of integers, not {value.KindName} '{value}'");
                    return Value.Of(value.Items.Select(i => Value.Of(Int(i, span, $"an item of {what}", decl.Min, decl.Max))).ToList());
                case ParamType.Text:
                    if (value.Kind != ValueKind.Text)
                        throw new DslException(DiagnosticId.WrongType, span, $"{what} must be text, not {value.KindName} '{value}'");
                    return value;
                default:
                    if (value.Kind != ValueKind.Text || !decl.Choices.Contains(value.Text))
                        throw new DslException(DiagnosticId.WrongType, span,
                            $"{what} must be {decl.Describe()}, not '{value}'{Suggest.DidYouMean(value.ToString(), decl.Choices).Replace("; expected one of:", ";")}");
                    return value;
            }
        }

        public static int Int(Value value, SourceSpan span, string what, double min, double max)
        {
            double number = Number(value, span, what);
            if (!value.IsInteger)
                throw new DslException(DiagnosticId.NotInteger, span, $"{what} must be an integer, but evaluates to {Fmt(number)}");
            if (number < min || number > max)
                throw new DslException(DiagnosticId.OutOfRange, span,
                    $"{what} is {Fmt(number)}, outside the allowed range [{Fmt(min)}, {Fmt(max)}]");
            return (int)Math.Round(number);
        }

        public static double Number(Value value, SourceSpan span, string what)
        {
            if (value.Kind != ValueKind.Number)
                throw new DslException(DiagnosticId.WrongType, span, $"{what} must be a number, not {value.KindName} '{value}'");
            if (double.IsNaN(value.Number) || double.IsInfinity(value.Number))
                throw new DslException(DiagnosticId.OutOfRange, span, $"{what} is not a finite number ({Fmt(value.Number)})");
            return value.Number;
        }

        public static bool Bool(Value value, SourceSpan span, string what)
        {
            if (value.Kind != ValueKind.Bool)
                throw new DslException(DiagnosticId.WrongType, span, $"{what} must be true or false, not {value.KindName} '{value}'");
            return value.Bool;
        }

        public static string Fmt(double v) => v.ToString("0.######", CultureInfo.InvariantCulture);
    }
}
