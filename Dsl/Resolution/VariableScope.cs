using System.Collections.Generic;
using System.Linq;
using ArchDsl.Dsl.Diagnostics;
using ArchDsl.Dsl.Expressions;
using ArchDsl.Dsl.Model;
using ArchDsl.Dsl.Util;

namespace ArchDsl.Dsl.Resolution
{
    /// <summary>The variables one variant sees: the family's <c>vars</c>, overridden by the variant's row and by
    /// caller overrides. Evaluated on first use (a variable may be an expression of others); uses are recorded so
    /// that a variant variable no expression reads is reported as a likely typo.</summary>
    public sealed class VariableScope
    {
        private readonly Dictionary<string, NamedValue> _sources = new Dictionary<string, NamedValue>();
        private readonly Dictionary<string, Value> _overrides;
        private readonly Dictionary<string, Value> _values = new Dictionary<string, Value>();
        private readonly HashSet<string> _evaluating = new HashSet<string>();

        public VariableScope(IEnumerable<NamedValue> familyVars, IEnumerable<NamedValue> variantVars, IReadOnlyDictionary<string, Value>? overrides)
        {
            foreach (var v in familyVars) _sources[v.Name] = v;
            foreach (var v in variantVars) _sources[v.Name] = v;
            _overrides = overrides is null ? new Dictionary<string, Value>() : overrides.ToDictionary(kv => kv.Key, kv => kv.Value);
        }

        public HashSet<string> Used { get; } = new HashSet<string>();

        public IEnumerable<string> Names => _sources.Keys;

        public Value? Lookup(string name)
        {
            Used.Add(name);
            if (_overrides.TryGetValue(name, out var overridden)) return overridden;
            if (_values.TryGetValue(name, out var known)) return known;
            if (!_sources.TryGetValue(name, out var source)) return null;
            if (!_evaluating.Add(name))
                throw new DslException(DiagnosticId.BadExpression, source.NameSpan, $"variable '{name}' is defined in terms of itself");
            var value = Evaluator.Evaluate(source.Value, this);
            _evaluating.Remove(name);
            _values[name] = value;
            return value;
        }

        public string UnknownMessage(string name) =>
            $"unknown variable '{name}'{Suggest.DidYouMean(name, _sources.Keys)}";
    }
}
