using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ArchDsl.Dsl.Expressions;

namespace ArchDsl.Runtime;

/// <summary>
/// Values for a family's variables (its <c>vars</c> and a variant's own), replacing the file's when a model is created:
/// <c>new ModelOptions { ["classes"] = 10, ["distillation"] = false }</c>. Counts and shapes follow the new values: the
/// architecture file is analysed again with them (see <see cref="VariantCompiler"/>). Values are numbers, booleans,
/// texts, or lists of them.
/// </summary>
public sealed class ModelOptions : IEnumerable<KeyValuePair<string, object>>
{
    private readonly SortedDictionary<string, object> _values = new(StringComparer.Ordinal);

    public object this[string variable]
    {
        get => _values[variable];
        set => _values[variable] = value ?? throw new ArgumentNullException(nameof(value), $"option '{variable}' has no value");
    }

    public void Add(string variable, object value) => this[variable] = value;

    public int Count => _values.Count;

    /// <summary>The values as the Dsl takes them, each checked against the variables of <paramref name="variant"/>.</summary>
    internal IReadOnlyDictionary<string, Value> ToOverrides(Dsl.Analysis.VariantAnalysis variant)
    {
        var known = variant.Family.Vars.Select(v => v.Name).Concat(variant.Spec.Vars.Select(v => v.Name)).Distinct().ToList();
        var overrides = new Dictionary<string, Value>(StringComparer.Ordinal);
        foreach (var (name, value) in _values)
        {
            if (!known.Contains(name))
                throw new ArgumentException($"{variant.FullName} has no variable '{name}'{Dsl.Util.Suggest.DidYouMean(name, known)}");
            overrides[name] = ToValue(name, value);
        }
        return overrides;
    }

    private static Value ToValue(string name, object value) => value switch
    {
        bool flag => Value.Of(flag),
        string text => Value.Of(text),
        sbyte or byte or short or ushort or int or uint or long or ulong or float or double or decimal =>
            Value.Of(Convert.ToDouble(value, CultureInfo.InvariantCulture)),
        IEnumerable items => Value.Of(items.Cast<object>().Select(item => ToValue(name, item)).ToList()),
        _ => throw new ArgumentException($"option '{name}' is a {value.GetType().Name}; options are numbers, booleans, texts or lists of them"),
    };

    /// <summary>A stable text of the values, e.g. "classes=10, distillation=False" (the key of a compiled variant).</summary>
    public override string ToString() => string.Join(", ", _values.Select(kv => $"{kv.Key}={Format(kv.Value)}"));

    private static string Format(object value) => value is IEnumerable items and not string
        ? "[" + string.Join(", ", items.Cast<object>().Select(Format)) + "]"
        : Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";

    public IEnumerator<KeyValuePair<string, object>> GetEnumerator() => _values.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
