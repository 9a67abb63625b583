using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace ArchDsl.Dsl.Expressions
{
    /// <summary>
    /// The small expression language of architecture files, so values can be written as papers print them:
    /// <c>channels[2]</c>, <c>64 * alpha</c>, <c>make_divisible(clip(32 * alpha, 16, 64), 8)</c>, <c>i &gt; 0 and distillation</c>.
    /// Numbers, booleans, 'text', variables, indexing, + - * / // % **, comparisons, and/or/not, <c>a if c else b</c>, and the functions in <see cref="Functions"/>.
    /// </summary>
    public abstract class Expression
    {
        protected Expression(int offset) => Offset = offset;

        /// <summary>Character position within the source text, for error locations.</summary>
        public int Offset { get; }

        public abstract Value Evaluate(Func<string, Value?> lookup);

        public static Expression Parse(string text) => new ExpressionParser(text).ParseAll();

        /// <summary>Functions papers and official code use to derive sizes.</summary>
        public static IReadOnlyList<string> Functions { get; } =
            new[] { "make_divisible", "clip", "int", "round", "floor", "ceil", "min", "max", "len", "sum" };

        internal static double Number(Value value, int offset, string what)
        {
            if (value.Kind != ValueKind.Number)
                throw new ExpressionException($"{what} must be a number, not {value.KindName} {value}", offset);
            return value.Number;
        }

        /// <summary>A number an operation computed: NaN and ±∞ (e.g. 1e308 * 10, 0 ** -1, (-8) ** 0.5) are errors here,
        /// so no non-finite value reaches a size, a parameter or generated code.</summary>
        internal static Value Finite(double number, int offset, string what)
        {
            if (double.IsNaN(number) || double.IsInfinity(number))
                throw new ExpressionException($"{what} is not a finite number ({number.ToString(CultureInfo.InvariantCulture)})", offset);
            return Value.Of(number);
        }

        internal static bool Truth(Value value, int offset, string what)
        {
            if (value.Kind != ValueKind.Bool)
                throw new ExpressionException($"{what} must be true or false, not {value.KindName} {value}", offset);
            return value.Bool;
        }
    }

    internal sealed class Literal : Expression
    {
        private readonly Value _value;
        public Literal(Value value, int offset) : base(offset) => _value = value;
        public override Value Evaluate(Func<string, Value?> lookup) => _value;
    }

    internal sealed class Variable : Expression
    {
        public Variable(string name, int offset) : base(offset) => Name = name;
        public string Name { get; }
        public override Value Evaluate(Func<string, Value?> lookup) =>
            lookup(Name) ?? throw new ExpressionException($"unknown variable '{Name}'", Offset);
    }

    internal sealed class Index : Expression
    {
        private readonly Expression _target, _index;
        public Index(Expression target, Expression index, int offset) : base(offset) { _target = target; _index = index; }

        public override Value Evaluate(Func<string, Value?> lookup)
        {
            var target = _target.Evaluate(lookup);
            if (target.Kind != ValueKind.List)
                throw new ExpressionException($"only lists can be indexed, not {target.KindName} {target}", Offset);
            var index = _index.Evaluate(lookup);
            if (!index.IsInteger)
                throw new ExpressionException($"a list index must be an integer, not {index}", _index.Offset);
            int i = (int)Math.Round(index.Number);
            if (i < 0 || i >= target.Items.Count)
                throw new ExpressionException($"index {i} is outside the list {target} of {target.Items.Count} entries", _index.Offset);
            return target.Items[i];
        }
    }

    internal sealed class Unary : Expression
    {
        private readonly string _op;
        private readonly Expression _operand;
        public Unary(string op, Expression operand, int offset) : base(offset) { _op = op; _operand = operand; }

        public override Value Evaluate(Func<string, Value?> lookup)
        {
            var v = _operand.Evaluate(lookup);
            return _op == "not" ? Value.Of(!Truth(v, Offset, "the operand of 'not'")) : Value.Of(-Number(v, Offset, "the operand of '-'"));
        }
    }

    internal sealed class Binary : Expression
    {
        private readonly string _op;
        private readonly Expression _left, _right;
        public Binary(string op, Expression left, Expression right, int offset) : base(offset) { _op = op; _left = left; _right = right; }

        public override Value Evaluate(Func<string, Value?> lookup)
        {
            if (_op == "and" || _op == "or")
            {
                bool l = Truth(_left.Evaluate(lookup), _left.Offset, $"the left side of '{_op}'");
                if (_op == "and" && !l) return Value.Of(false);
                if (_op == "or" && l) return Value.Of(true);
                return Value.Of(Truth(_right.Evaluate(lookup), _right.Offset, $"the right side of '{_op}'"));
            }
            var left = _left.Evaluate(lookup);
            var right = _right.Evaluate(lookup);
            if (_op == "==") return Value.Of(left.Equals(right));
            if (_op == "!=") return Value.Of(!left.Equals(right));
            double a = Number(left, _left.Offset, $"the left side of '{_op}'");
            double b = Number(right, _right.Offset, $"the right side of '{_op}'");
            string what = $"the result of '{_op}'";
            switch (_op)
            {
                case "+": return Finite(a + b, Offset, what);
                case "-": return Finite(a - b, Offset, what);
                case "*": return Finite(a * b, Offset, what);
                case "**": return Finite(Math.Pow(a, b), Offset, what);
                case "<": return Value.Of(a < b);
                case "<=": return Value.Of(a <= b);
                case ">": return Value.Of(a > b);
                case ">=": return Value.Of(a >= b);
            }
            if (b == 0)
                throw new ExpressionException($"division by zero in '{_op}'", _right.Offset);
            return Finite(_op switch
            {
                "/" => a / b,
                "//" => Math.Floor(a / b),
                _ => a - b * Math.Floor(a / b), // '%' with Python's sign convention
            }, Offset, what);
        }
    }

    internal sealed class Conditional : Expression
    {
        private readonly Expression _condition, _then, _else;
        public Conditional(Expression condition, Expression then, Expression @else, int offset) : base(offset)
        {
            _condition = condition;
            _then = then;
            _else = @else;
        }

        public override Value Evaluate(Func<string, Value?> lookup) =>
            Truth(_condition.Evaluate(lookup), _condition.Offset, "the condition of 'if'") ? _then.Evaluate(lookup) : _else.Evaluate(lookup);
    }

    internal sealed class Call : Expression
    {
        private readonly string _name;
        private readonly IReadOnlyList<Expression> _args;
        public Call(string name, IReadOnlyList<Expression> args, int offset) : base(offset) { _name = name; _args = args; }

        public override Value Evaluate(Func<string, Value?> lookup)
        {
            var result = Apply(_args.Select(a => a.Evaluate(lookup)).ToList());
            return result.Kind == ValueKind.Number ? Finite(result.Number, Offset, $"the result of {_name}()") : result;
        }

        private Value Apply(List<Value> args)
        {
            double Arg(int i) => Number(args[i], _args[i].Offset, $"argument {i + 1} of {_name}()");
            void Arity(int min, int max)
            {
                if (args.Count < min || args.Count > max)
                    throw new ExpressionException($"{_name}() takes {(min == max ? min.ToString(CultureInfo.InvariantCulture) : $"{min} to {max}")} arguments, not {args.Count}", Offset);
            }
            switch (_name)
            {
                case "make_divisible":
                    Arity(1, 3);
                    return Value.Of(MakeDivisible(Arg(0), args.Count > 1 ? Arg(1) : 8, args.Count > 2 ? Arg(2) : (double?)null));
                case "clip":
                    Arity(3, 3);
                    return Value.Of(Math.Max(Arg(1), Math.Min(Arg(2), Arg(0))));
                case "int": Arity(1, 1); return Value.Of(Math.Truncate(Arg(0)));
                case "round": Arity(1, 1); return Value.Of(Math.Round(Arg(0), MidpointRounding.ToEven));
                case "floor": Arity(1, 1); return Value.Of(Math.Floor(Arg(0)));
                case "ceil": Arity(1, 1); return Value.Of(Math.Ceiling(Arg(0)));
                case "min": Arity(2, 8); return Value.Of(Enumerable.Range(0, args.Count).Min(Arg));
                case "max": Arity(2, 8); return Value.Of(Enumerable.Range(0, args.Count).Max(Arg));
                case "sum":
                    Arity(1, 1);
                    if (args[0].Kind != ValueKind.List)
                        throw new ExpressionException($"sum() needs a list, not {args[0].KindName} {args[0]}", _args[0].Offset);
                    return Value.Of(args[0].Items.Sum(i => Number(i, _args[0].Offset, "an item of sum()")));
                case "len":
                    Arity(1, 1);
                    if (args[0].Kind != ValueKind.List)
                        throw new ExpressionException($"len() needs a list, not {args[0].KindName} {args[0]}", _args[0].Offset);
                    return Value.Of(args[0].Items.Count);
                default:
                    throw new ExpressionException($"unknown function '{_name}'{Util.Suggest.DidYouMean(_name, Functions)}", Offset);
            }
        }

        /// <summary>The rounding of channel widths used by MobileNet, cvnets and timm: to the nearest multiple of
        /// <paramref name="divisor"/>, at least <paramref name="minValue"/>, and never more than 10% below v.</summary>
        public static double MakeDivisible(double v, double divisor, double? minValue)
        {
            double min = minValue ?? divisor;
            double rounded = Math.Max(min, Math.Floor(Math.Truncate(v + divisor / 2) / divisor) * divisor);
            return rounded < 0.9 * v ? rounded + divisor : rounded;
        }
    }
}
