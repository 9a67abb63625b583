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
    /// <summary>Turns a family and one of its variants into concrete block instances: evaluates variables,
    /// <c>when</c>, <c>repeat</c> and parameters (types, ranges, defaults), and assigns state_dict paths.</summary>
    public static class Resolver
    {
        /// <summary>Largest input side accepted, so a typo like 224000 is an error rather than a slow analysis.</summary>
        public const int MaxInputSize = 16384;

        public static ResolvedVariant? Resolve(FamilySpec family, VariantSpec variant, DiagnosticBag diagnostics,
            IReadOnlyDictionary<string, Value>? overrides = null)
        {
            var scope = new VariableScope(family.Vars, variant.Vars, overrides);
            int errorsBefore = diagnostics.Items.Count(d => d.Severity == Severity.Error);

            int inChannels = 0, height = 0, width = 0;
            Guard(diagnostics, () =>
            {
                inChannels = Int(Evaluator.Evaluate(family.Input.Channels, scope), family.Input.Channels.Span, "input channels", 1, 4096);
                height = Int(Evaluator.Evaluate(family.Input.Height, scope), family.Input.Height.Span, "input height", 1, MaxInputSize);
                width = Int(Evaluator.Evaluate(family.Input.Width, scope), family.Input.Width.Span, "input width", 1, MaxInputSize);
            });

            var layers = new List<ResolvedLayer>();
            var counters = new Dictionary<string, int>();
            var paths = new Dictionary<string, SourceSpan>();
            int row = 0, stageIndex = 0;
            for (int s = 0; s < family.Sections.Count; s++)
            {
                var section = family.Sections[s];
                string auto = section.Role switch
                {
                    SectionRole.Stem => "stem",
                    SectionRole.Head => "head",
                    _ => "stages." + (stageIndex++).ToString(CultureInfo.InvariantCulture),
                };
                foreach (var spec in section.Rows)
                {
                    int rowIndex = row++;
                    Guard(diagnostics, () =>
                    {
                        if (spec.When != null && !Bool(Evaluator.Evaluate(spec.When, scope), spec.When.Span, "when"))
                            return;
                        var kind = BlockCatalogue.Find(spec.Kind)!;
                        int repeat = spec.Repeat is null ? 1 : Int(Evaluator.Evaluate(spec.Repeat, scope), spec.Repeat.Span, "repeat", 1, 1000);
                        int? expectedIn = spec.In is null ? null : Int(Evaluator.Evaluate(spec.In, scope), spec.In.Span, "in", 1, 65536);
                        var args = Args(kind, spec, family, scope);
                        for (int i = 0; i < repeat; i++)
                        {
                            string path = spec.Name ?? Append(spec.Into ?? auto, counters);
                            if (path.Length > 0 && paths.ContainsKey(path))
                                throw new DslException(DiagnosticId.Duplicate, spec.NameSpan, $"the module path '{path}' is used twice");
                            paths[path] = spec.NameSpan;
                            layers.Add(new ResolvedLayer(s, section.Role, section.Name, rowIndex, i, repeat, kind.Name, path, args, expectedIn,
                                spec.Name is null && spec.Into is null, spec.Span));
                        }
                    });
                }
            }

            // a variant variable that nothing reads is almost always a misspelling of one that is read
            foreach (var v in variant.Vars.Where(v => !scope.Used.Contains(v.Name)))
                diagnostics.Add(DiagnosticId.UnknownKey, v.NameSpan,
                    $"variable '{v.Name}' is not used by any row{Suggest.DidYouMean(v.Name, scope.Used.Where(u => scope.Names.Contains(u)))}");

            if (diagnostics.Items.Count(d => d.Severity == Severity.Error) > errorsBefore) return null;
            return new ResolvedVariant(family.Name, variant.Name, variant.ClassName, inChannels, height, width,
                family.Sections.Select(sec => sec.Name).ToEquatableArray(), layers.ToEquatableArray());
        }

        private static string Append(string container, Dictionary<string, int> counters)
        {
            counters.TryGetValue(container, out int next);
            counters[container] = next + 1;
            return container + "." + next.ToString(CultureInfo.InvariantCulture);
        }

        private static BlockArgs Args(BlockKind kind, RowSpec row, FamilySpec family, VariableScope scope)
        {
            var defaults = family.Defaults.Where(d => d.Kind == kind.Name).SelectMany(d => d.Params).ToList();
            var args = new List<BlockArg>();
            foreach (var decl in kind.Params)
            {
                var written = row.Params.FirstOrDefault(p => p.Name == decl.Name) ?? defaults.FirstOrDefault(p => p.Name == decl.Name);
                if (written is null)
                {
                    if (decl.Default is null)
                        throw new DslException(DiagnosticId.MissingField, row.KindSpan,
                            $"{kind.Name} needs '{decl.Name}:' ({decl.Doc}), in the row or in defaults");
                    args.Add(new BlockArg(decl.Name, decl.Default, "framework default"));
                    continue;
                }
                args.Add(new BlockArg(decl.Name, Check(decl, written.Value, scope), written.Value.Provenance));
            }
            return new BlockArgs(args.ToEquatableArray());
        }

        private static Value Check(ParamDecl decl, ValueSource source, VariableScope scope)
        {
            string what = $"'{decl.Name}'";
            if (decl.Type == ParamType.Choice && source.IsPlain && !source.IsList && decl.Choices.Contains(source.Text))
                return Value.Of(source.Text);
            if (decl.Type == ParamType.Text && !source.IsList)
                return Value.Of(source.Text);
            var value = Evaluator.Evaluate(source, scope);
            switch (decl.Type)
            {
                case ParamType.Int:
                    return Value.Of(Int(value, source.Span, what, decl.Min, decl.Max));
                case ParamType.Number:
                    double number = Number(value, source.Span, what);
                    if (number < decl.Min || number > decl.Max)
                        throw new DslException(DiagnosticId.OutOfRange, source.Span, $"{what} is {Fmt(number)}, outside {decl.Describe()}");
                    return value;
                case ParamType.Bool:
                    return Value.Of(Bool(value, source.Span, what));
                default:
                    if (value.Kind != ValueKind.Text || !decl.Choices.Contains(value.Text))
                        throw new DslException(DiagnosticId.WrongType, source.Span,
                            $"{what} must be {decl.Describe()}, not '{value}'{Suggest.DidYouMean(value.ToString(), decl.Choices).Replace("; expected one of:", ";")}");
                    return value;
            }
        }

        private static int Int(Value value, SourceSpan span, string what, double min, double max)
        {
            double number = Number(value, span, what);
            if (!value.IsInteger)
                throw new DslException(DiagnosticId.NotInteger, span, $"{what} must be an integer, but evaluates to {Fmt(number)}");
            if (number < min || number > max)
                throw new DslException(DiagnosticId.OutOfRange, span,
                    $"{what} is {Fmt(number)}, outside the allowed range [{Fmt(min)}, {Fmt(max)}]");
            return (int)Math.Round(number);
        }

        private static double Number(Value value, SourceSpan span, string what)
        {
            if (value.Kind != ValueKind.Number)
                throw new DslException(DiagnosticId.WrongType, span, $"{what} must be a number, not {value.KindName} '{value}'");
            return value.Number;
        }

        private static bool Bool(Value value, SourceSpan span, string what)
        {
            if (value.Kind != ValueKind.Bool)
                throw new DslException(DiagnosticId.WrongType, span, $"{what} must be true or false, not {value.KindName} '{value}'");
            return value.Bool;
        }

        private static string Fmt(double v) => v.ToString("0.######", CultureInfo.InvariantCulture);

        private static void Guard(DiagnosticBag diagnostics, Action action)
        {
            try
            {
                action();
            }
            catch (DslException e)
            {
                diagnostics.Add(e.ToDiagnostic());
            }
        }
    }
}
