using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ArchDsl.Dsl.Blocks;
using ArchDsl.Dsl.Costs;
using ArchDsl.Dsl.Diagnostics;
using ArchDsl.Dsl.Model;
using ArchDsl.Dsl.Util;
using ArchDsl.Dsl.Yaml;

namespace ArchDsl.Dsl.Reading
{
    /// <summary>Reads an architecture file (<c>*.arch.yaml</c> or <c>*.arch.json</c>) into a <see cref="FamilySpec"/>,
    /// reporting structural mistakes: syntax, unknown keys, wrong types, missing fields, duplicates. Kinds and their
    /// parameters are checked afterwards, against every block the file can see (<see cref="KindChecker"/>).</summary>
    public static class FamilyReader
    {
        internal static readonly string[] s_topKeys =
            { "family", "title", "paper", "code", "input", "vars", "defaults", "blocks", "stem", "stages", "head", "variants", "notes" };
        internal static readonly string[] s_requiredKeys = { "family", "title", "input", "stages", "variants" };
        internal static readonly string[] s_inputKeys = { "channels", "size" };
        internal static readonly string[] s_variantKeys = { "class", "published", "note", "zoo" };
        internal static readonly string[] s_metricKeys = { "params", "macs", "top1" };
        internal static readonly string[] s_publishedKeys = { "value", "exact", "at", "convention", "tolerance", "source", "known_gap", "note" };

        public static FamilySpec? Read(string text, DiagnosticBag diagnostics)
        {
            var root = YamlReader.Read(text, diagnostics);
            if (root is null) return null;
            var r = new NodeReader(diagnostics);
            var map = r.Mapping(root, "an architecture file");
            if (map is null) return null;
            r.CheckKeys(map, s_topKeys, "the architecture file");

            var familyNode = r.Required(map, "family", "the architecture file");
            var name = r.Text(familyNode, "family") is { } familyText ? r.TypeName(familyNode!, familyText, "family", null) : null;
            var title = r.Text(r.Required(map, "title", "the architecture file"), "title");
            var input = ReadInput(r, r.Mapping(r.Required(map, "input", "the architecture file"), "input"));
            var vars = map["vars"] is { } varsNode && r.Mapping(varsNode, "vars") is { } varsMap
                ? r.NamedValues(varsMap, "vars", new string[0])
                : EquatableArray<NamedValue>.Empty;
            var defaults = ReadDefaults(r, r.Mapping(map["defaults"], "defaults"));
            var blocks = RowReader.Blocks(r, r.Mapping(map["blocks"], "blocks"), "");

            var sections = new List<SectionSpec>();
            if (map.Find("stem") is { } stem)
                sections.Add(ReadSection(r, SectionRole.Stem, "stem", stem.Key.Span, stem.Value));
            var stages = r.Mapping(r.Required(map, "stages", "the architecture file"), "stages");
            if (stages != null)
            {
                foreach (var stage in stages.Entries)
                    sections.Add(ReadSection(r, SectionRole.Stage, stage.Name, stage.Key.Span, stage.Value));
                if (stages.Entries.Count == 0)
                    diagnostics.Add(DiagnosticId.MissingField, stages.Span, "stages needs at least one stage");
            }
            if (map.Find("head") is { } head)
                sections.Add(ReadSection(r, SectionRole.Head, "head", head.Key.Span, head.Value));

            var variants = ReadVariants(r, r.Mapping(r.Required(map, "variants", "the architecture file"), "variants"), name);

            if (name is null || title is null || input is null || stages is null || variants is null)
                return null;
            return new FamilySpec(name, map.Find("family")!.Value.Span, title,
                r.Text(map["paper"], "paper"), r.Text(map["code"], "code"), input, vars, defaults, blocks,
                sections.ToEquatableArray(), variants.ToEquatableArray());
        }

        private static InputSpec? ReadInput(NodeReader r, YamlMapping? map)
        {
            if (map is null) return null;
            r.CheckKeys(map, s_inputKeys, "input");
            var channels = r.Value(r.Required(map, "channels", "input"), "input channels");
            var sizeNode = r.Required(map, "size", "input");
            if (channels is null || sizeNode is null) return null;
            if (sizeNode is YamlSequence seq)
            {
                if (seq.Items.Count != 2)
                {
                    r.Diagnostics.Add(DiagnosticId.WrongType, seq.Span, $"input size must be one number or [height, width], not a list of {seq.Items.Count}");
                    return null;
                }
                var h = r.Value(seq.Items[0], "input height");
                var w = r.Value(seq.Items[1], "input width");
                return h is null || w is null ? null : new InputSpec(channels, h, w, map.Span);
            }
            var size = r.Value(sizeNode, "input size");
            return size is null ? null : new InputSpec(channels, size, size, map.Span);
        }

        private static EquatableArray<KindDefaults> ReadDefaults(NodeReader r, YamlMapping? map)
        {
            if (map is null) return EquatableArray<KindDefaults>.Empty;
            var result = new List<KindDefaults>();
            foreach (var entry in map.Entries)
            {
                var values = r.Mapping(entry.Value, $"defaults of {entry.Name}");
                if (values is null) continue;
                result.Add(new KindDefaults(entry.Name, entry.Key.Span, r.NamedValues(values, $"defaults of {entry.Name}", new string[0])));
            }
            return result.ToEquatableArray();
        }

        private static SectionSpec ReadSection(NodeReader r, SectionRole role, string name, Text.SourceSpan span, YamlNode node) =>
            new SectionSpec(role, name, span, RowReader.Rows(r, node, role == SectionRole.Stage ? $"stage '{name}'" : name));

        private static List<VariantSpec>? ReadVariants(NodeReader r, YamlMapping? map, string? family)
        {
            if (map is null) return null;
            var variants = new List<VariantSpec>();
            var classes = new HashSet<string>();
            foreach (var entry in map.Entries)
            {
                var row = r.Mapping(entry.Value, $"variant '{entry.Name}'");
                if (row is null) continue;
                string? className;
                if (row["class"] is { } classNode)
                    className = r.Text(classNode, "class") is { } classText ? r.TypeName(classNode, classText, "class", family) : null;
                else if (!NodeReader.IsIdentifier(entry.Name))
                {
                    r.Diagnostics.Add(DiagnosticId.WrongType, entry.Key.Span,
                        $"variant '{entry.Name}' is not a C# identifier: give its class name with 'class:'");
                    className = null;
                }
                else className = r.TypeName(entry.Key, entry.Name, "variant", family);
                if (className is null) continue;
                if (!classes.Add(className))
                {
                    r.Diagnostics.Add(DiagnosticId.Duplicate, entry.Key.Span, $"two variants generate the class '{className}'");
                    continue;
                }
                var published = ReadPublished(r, r.Mapping(row["published"], $"published numbers of '{entry.Name}'"));
                bool inZoo = true;
                if (row["zoo"] is { } zooNode && r.Text(zooNode, "zoo") is { } zooText)
                {
                    if (zooText == "true" || zooText == "false") inZoo = zooText == "true";
                    else r.Diagnostics.Add(DiagnosticId.WrongType, zooNode.Span, $"zoo must be true or false, not '{zooText}'");
                }
                variants.Add(new VariantSpec(entry.Name, entry.Key.Span, className,
                    r.NamedValues(row, $"variant '{entry.Name}'", s_variantKeys), published.ToEquatableArray(),
                    r.Text(row["note"], "note"), inZoo));
            }
            if (map.Entries.Count == 0)
                r.Diagnostics.Add(DiagnosticId.MissingField, map.Span, "variants needs at least one variant");
            return variants;
        }

        private static List<PublishedSpec> ReadPublished(NodeReader r, YamlMapping? map)
        {
            var result = new List<PublishedSpec>();
            if (map is null) return result;
            r.CheckKeys(map, s_metricKeys, "published");
            foreach (var entry in map.Entries.Where(e => s_metricKeys.Contains(e.Name)))
            {
                var metric = entry.Name switch { "params" => PublishedMetric.Params, "macs" => PublishedMetric.Macs, _ => PublishedMetric.Top1 };
                var items = entry.Value is YamlSequence seq ? seq.Items : new[] { entry.Value };
                foreach (var item in items)
                {
                    var number = ReadNumber(r, metric, r.Mapping(item, $"published {entry.Name}"));
                    if (number != null) result.Add(number);
                }
            }
            return result;
        }

        private static PublishedSpec? ReadNumber(NodeReader r, PublishedMetric metric, YamlMapping? map)
        {
            if (map is null) return null;
            string what = $"published {metric.ToString().ToLowerInvariant()}";
            r.CheckKeys(map, s_publishedKeys, what);
            var valueNode = r.Required(map, "value", what);
            var source = r.Text(r.Required(map, "source", what), "source");
            var printed = r.Text(valueNode, "value");
            if (printed is null || source is null) return null;
            if (!PublishedSpec.TryParseAmount(printed, out double value, out double unit, out int decimals))
            {
                r.Diagnostics.Add(DiagnosticId.WrongType, valueNode!.Span, $"'{printed}' is not an amount like 3.20M, 0.56G or 78.7");
                return null;
            }

            long? exact = null;
            if (map["exact"] is { } exactNode && r.Text(exactNode, "exact") is { } exactText)
            {
                if (PublishedSpec.TryParseAmount(exactText, out double e, out _, out _) && e == System.Math.Floor(e))
                    exact = (long)e;
                else
                    r.Diagnostics.Add(DiagnosticId.NotInteger, exactNode.Span, $"exact must be an integer count, not '{exactText}'");
            }

            int? at = null;
            if (map["at"] is { } atNode && r.Text(atNode, "at") is { } atText)
            {
                if (int.TryParse(atText, NumberStyles.Integer, CultureInfo.InvariantCulture, out int size) && size > 0)
                    at = size;
                else
                    r.Diagnostics.Add(DiagnosticId.WrongType, atNode.Span, $"at must be the input size in pixels, not '{atText}'");
            }

            string? convention = r.Text(map["convention"], "convention");
            if (convention != null && CountingConvention.Find(convention) is null)
            {
                r.Diagnostics.Add(DiagnosticId.UnknownConvention, map["convention"]!.Span,
                    $"unknown counting convention '{convention}'{Suggest.DidYouMean(convention, CountingConvention.All.Select(c => c.Name))}");
                convention = null;
            }
            if (metric == PublishedMetric.Macs)
            {
                if (map["at"] is null) r.Diagnostics.Add(DiagnosticId.MissingField, NodeReader.KeyAnchor(map), "published macs needs 'at:' (the input size it was counted at)");
                if (map["convention"] is null) r.Diagnostics.Add(DiagnosticId.MissingField, NodeReader.KeyAnchor(map), "published macs needs 'convention:' (how it was counted)");
            }

            double tolerance = PublishedSpec.RoundingTolerance(unit, decimals);
            string tolerancePrinted = "printed precision";
            if (map["tolerance"] is { } tolNode && r.Text(tolNode, "tolerance") is { } tolText)
            {
                tolerancePrinted = tolText;
                if (tolText.EndsWith("%") && double.TryParse(tolText.TrimEnd('%'), NumberStyles.Float, CultureInfo.InvariantCulture, out double percent))
                    tolerance = value * percent / 100;
                else if (PublishedSpec.TryParseAmount(tolText, out double absolute, out _, out _))
                    tolerance = absolute;
                else
                    r.Diagnostics.Add(DiagnosticId.WrongType, tolNode.Span, $"tolerance must be a percentage (3%) or an amount (0.05G), not '{tolText}'");
            }

            return new PublishedSpec(metric, printed, value, exact, at, convention, tolerance, tolerancePrinted, source,
                r.Text(map["known_gap"], "known_gap"), r.Text(map["note"], "note"), map.Span);
        }
    }
}
