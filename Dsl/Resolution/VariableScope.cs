using System.Collections.Generic;
using System.Linq;
using ArchDsl.Dsl.Diagnostics;
using ArchDsl.Dsl.Expressions;
using ArchDsl.Dsl.Model;
using ArchDsl.Dsl.Util;

namespace ArchDsl.Dsl.Resolution
{
    /// <summary>The variables an expression sees. A variant sees the family's <c>vars</c>, overridden by the variant's row
    /// and by caller overrides; a block sees its parameters and <c>in_channels</c>; a repeated row adds its index
    /// <c>i</c>. Written values are evaluated on first use (a variable may be an expression of others); uses are
    /// recorded so that a variant variable no expression reads is reported as a likely typo.</summary>
    public sealed class VariableScope
    {
        private readonly VariableScope? _parent;
        private readonly Dictionary<string, NamedValue> _sources = new Dictionary<string, NamedValue>();
        private readonly Dictionary<string, Value> _values = new Dictionary<string, Value>();
        private readonly HashSet<string> _evaluating = new HashSet<string>();

        /// <summary>Longest chain of variables defined by one another (a = b + 1, b = c + 1, …) evaluated at once: each link
        /// recurses, so the chain is bounded like every other nesting.</summary>
        public const int MaxChain = 100;

        public VariableScope(IEnumerable<NamedValue> familyVars, IEnumerable<NamedValue> variantVars, IReadOnlyDictionary<string, Value>? overrides)
        {
            foreach (var v in familyVars) _sources[v.Name] = v;
            foreach (var v in variantVars) _sources[v.Name] = v;
            if (overrides != null)
            {
                foreach (var kv in overrides)
                {
                    _sources.Remove(kv.Key);
                    _values[kv.Key] = kv.Value;
                }
            }
            Used = new HashSet<string>();
        }

        private VariableScope(VariableScope? parent, IEnumerable<KeyValuePair<string, Value>> values, IEnumerable<NamedValue> sources, HashSet<string> used)
        {
            _parent = parent;
            foreach (var kv in values) _values[kv.Key] = kv.Value;
            foreach (var s in sources) _sources[s.Name] = s;
            Used = used;
        }

        /// <summary>A scope of its own (a block's): these values and lazily evaluated sources, nothing inherited.</summary>
        public static VariableScope Isolated(IEnumerable<KeyValuePair<string, Value>> values, IEnumerable<NamedValue> sources) =>
            new VariableScope(null, values, sources, new HashSet<string>());

        /// <summary>This scope with one more value (a repeat index).</summary>
        public VariableScope With(string name, Value value) =>
            new VariableScope(this, new[] { new KeyValuePair<string, Value>(name, value) }, Enumerable.Empty<NamedValue>(), Used);

        public HashSet<string> Used { get; }

        public IEnumerable<string> Names => _sources.Keys.Concat(_values.Keys).Concat(_parent?.Names ?? Enumerable.Empty<string>()).Distinct();

        public Value? Lookup(string name)
        {
            Used.Add(name);
            if (_values.TryGetValue(name, out var known)) return known;
            if (!_sources.TryGetValue(name, out var source)) return _parent?.Lookup(name);
            if (!_evaluating.Add(name))
                throw new DslException(DiagnosticId.BadExpression, source.NameSpan, $"variable '{name}' is defined in terms of itself");
            if (_evaluating.Count > MaxChain)
                throw new DslException(DiagnosticId.OutOfRange, source.NameSpan, $"variable '{name}' is the end of a chain of more than {MaxChain} variables defined by one another");
            var value = Evaluator.Evaluate(source.Value, this);
            _evaluating.Remove(name);
            _values[name] = value;
            return value;
        }

        public string UnknownMessage(string name) =>
            $"unknown variable '{name}'{Suggest.DidYouMean(name, Names)}";
    }
}
