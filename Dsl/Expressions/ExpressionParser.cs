using System.Collections.Generic;
using System.Globalization;

namespace ArchDsl.Dsl.Expressions
{
    /// <summary>Recursive-descent parser for <see cref="Expression"/>; precedence from loose to tight:
    /// a if c else b, or, and, not, comparison, + -, * / // %, unary -, **, indexing and calls.
    /// Its work is bounded: nesting deeper than <see cref="MaxDepth"/> (parentheses, indexing, unary operators) and
    /// expressions of more than <see cref="MaxTerms"/> parts are errors, so neither parsing nor evaluating (both
    /// recursive) can exhaust the stack.</summary>
    internal sealed class ExpressionParser
    {
        /// <summary>Deepest nesting of the parser's recursion (a level of parentheses takes two: the conditional and the
        /// unary level); far beyond any expression of the zoo.</summary>
        public const int MaxDepth = 200;

        /// <summary>Most operators, calls and operands in one expression (a sum of 250 terms); far beyond any expression of the zoo.</summary>
        public const int MaxTerms = 500;

        private readonly string _text;
        private int _pos;
        private int _depth;
        private int _terms;

        public ExpressionParser(string text) => _text = text;

        public Expression ParseAll()
        {
            var expression = ParseConditional();
            SkipSpace();
            if (_pos < _text.Length)
                throw new ExpressionException($"unexpected '{_text.Substring(_pos)}' after the end of the expression", _pos);
            return expression;
        }

        /// <summary>Python's <c>a if condition else b</c>, the loosest of all.</summary>
        private Expression ParseConditional()
        {
            Enter();
            var value = ParseOr();
            if (!AcceptWord("if", out int at))
            {
                _depth--;
                return value;
            }
            var condition = ParseOr();
            if (!AcceptWord("else", out int elseAt))
                throw new ExpressionException("expected 'else' after 'a if condition'", elseAt);
            var result = Term(new Conditional(condition, value, ParseConditional(), at));
            _depth--;
            return result;
        }

        /// <summary>One level deeper into the parser's recursion.</summary>
        private void Enter()
        {
            if (++_depth > MaxDepth)
                throw new ExpressionException($"the expression nests too deeply (more than {MaxDepth} levels of parentheses, indexing or unary operators)", _pos, limit: true);
        }

        /// <summary>Counts a part of the expression.</summary>
        private Expression Term(Expression expression)
        {
            if (++_terms > MaxTerms)
                throw new ExpressionException($"the expression is too long (more than {MaxTerms} operators and operands)", expression.Offset, limit: true);
            return expression;
        }

        private Expression ParseOr()
        {
            var left = ParseAnd();
            while (AcceptWord("or", out int at)) left = Term(new Binary("or", left, ParseAnd(), at));
            return left;
        }

        private Expression ParseAnd()
        {
            var left = ParseNot();
            while (AcceptWord("and", out int at)) left = Term(new Binary("and", left, ParseNot(), at));
            return left;
        }

        private Expression ParseNot()
        {
            if (!AcceptWord("not", out int at)) return ParseComparison();
            Enter();
            var result = Term(new Unary("not", ParseNot(), at));
            _depth--;
            return result;
        }

        private Expression ParseComparison()
        {
            var left = ParseSum();
            foreach (var op in new[] { "==", "!=", "<=", ">=", "<", ">" })
                if (Accept(op, out int at)) return Term(new Binary(op, left, ParseSum(), at));
            return left;
        }

        private Expression ParseSum()
        {
            var left = ParseProduct();
            while (true)
            {
                if (Accept("+", out int at)) left = Term(new Binary("+", left, ParseProduct(), at));
                else if (Accept("-", out at)) left = Term(new Binary("-", left, ParseProduct(), at));
                else return left;
            }
        }

        private Expression ParseProduct()
        {
            var left = ParseUnary();
            while (true)
            {
                if (Accept("//", out int at)) left = Term(new Binary("//", left, ParseUnary(), at));
                else if (Peek("**")) return left;
                else if (Accept("*", out at)) left = Term(new Binary("*", left, ParseUnary(), at));
                else if (Accept("/", out at)) left = Term(new Binary("/", left, ParseUnary(), at));
                else if (Accept("%", out at)) left = Term(new Binary("%", left, ParseUnary(), at));
                else return left;
            }
        }

        private Expression ParseUnary()
        {
            Enter();
            var result = Accept("-", out int at) ? Term(new Unary("-", ParseUnary(), at)) : ParsePower();
            _depth--;
            return result;
        }

        private Expression ParsePower()
        {
            var left = ParsePostfix();
            return Accept("**", out int at) ? Term(new Binary("**", left, ParseUnary(), at)) : left;
        }

        private Expression ParsePostfix()
        {
            var expression = ParsePrimary();
            while (Accept("[", out int at))
            {
                var index = ParseConditional();
                Expect("]");
                expression = Term(new Index(expression, index, at));
            }
            return expression;
        }

        private Expression ParsePrimary()
        {
            SkipSpace();
            int start = _pos;
            if (_pos >= _text.Length)
                throw new ExpressionException("the expression ends where a value was expected", _pos);
            char c = _text[_pos];
            if (Accept("(", out _))
            {
                var inner = ParseConditional();
                Expect(")");
                return inner;
            }
            if (char.IsDigit(c) || (c == '.' && _pos + 1 < _text.Length && char.IsDigit(_text[_pos + 1])))
            {
                while (_pos < _text.Length && (char.IsDigit(_text[_pos]) || _text[_pos] == '.' || _text[_pos] == '_')) _pos++;
                if (_pos < _text.Length && (_text[_pos] == 'e' || _text[_pos] == 'E'))
                {
                    _pos++;
                    if (_pos < _text.Length && (_text[_pos] == '-' || _text[_pos] == '+')) _pos++;
                    while (_pos < _text.Length && char.IsDigit(_text[_pos])) _pos++;
                }
                var literal = _text.Substring(start, _pos - start).Replace("_", "");
                if (!double.TryParse(literal, NumberStyles.Float, CultureInfo.InvariantCulture, out double number))
                    throw new ExpressionException($"'{literal}' is not a number", start);
                if (double.IsInfinity(number))
                    throw new ExpressionException($"'{literal}' is too large: not a finite number", start);
                return Term(new Literal(Value.Of(number), start));
            }
            if (c == '\'')
            {
                int close = _text.IndexOf('\'', _pos + 1);
                if (close < 0)
                    throw new ExpressionException("unterminated 'text'", _pos);
                _pos = close + 1;
                return Term(new Literal(Value.Of(_text.Substring(start + 1, close - start - 1)), start));
            }
            if (IsNameStart(c))
            {
                while (_pos < _text.Length && IsNamePart(_text[_pos])) _pos++;
                var name = _text.Substring(start, _pos - start);
                if (name == "true") return Term(new Literal(Value.Of(true), start));
                if (name == "false") return Term(new Literal(Value.Of(false), start));
                if (Accept("(", out _))
                {
                    var args = new List<Expression>();
                    SkipSpace();
                    if (!Accept(")", out _))
                    {
                        do args.Add(ParseConditional()); while (Accept(",", out _));
                        Expect(")");
                    }
                    return Term(new Call(name, args, start));
                }
                return Term(new Variable(name, start));
            }
            throw new ExpressionException($"unexpected '{c}'", _pos);
        }

        private static bool IsNameStart(char c) => char.IsLetter(c) || c == '_';
        private static bool IsNamePart(char c) => char.IsLetterOrDigit(c) || c == '_';

        private void SkipSpace()
        {
            while (_pos < _text.Length && char.IsWhiteSpace(_text[_pos])) _pos++;
        }

        private bool Peek(string token)
        {
            SkipSpace();
            return string.CompareOrdinal(_text, _pos, token, 0, token.Length) == 0;
        }

        private bool Accept(string token, out int at)
        {
            SkipSpace();
            at = _pos;
            if (string.CompareOrdinal(_text, _pos, token, 0, token.Length) != 0) return false;
            _pos += token.Length;
            return true;
        }

        private bool AcceptWord(string word, out int at)
        {
            SkipSpace();
            at = _pos;
            int end = _pos + word.Length;
            if (string.CompareOrdinal(_text, _pos, word, 0, word.Length) != 0) return false;
            if (end < _text.Length && IsNamePart(_text[end])) return false;
            _pos = end;
            return true;
        }

        private void Expect(string token)
        {
            if (!Accept(token, out int at))
                throw new ExpressionException($"expected '{token}'", at);
        }
    }
}
