using System.Collections.Generic;

namespace ArchDsl.Dsl.Reading
{
    /// <summary>The keys the readers accept, for tools that describe the file format (the JSON Schema of
    /// <c>archdsl schema</c>); the readers own each list.</summary>
    public static class FileFormat
    {
        /// <summary>Top-level keys of a family file (<c>*.arch.yaml</c>) and those it must have.</summary>
        public static IReadOnlyList<string> FamilyKeys => FamilyReader.s_topKeys;
        public static IReadOnlyList<string> RequiredFamilyKeys => FamilyReader.s_requiredKeys;

        public static IReadOnlyList<string> InputKeys => FamilyReader.s_inputKeys;

        /// <summary>Keys of a value written with its provenance, <c>{ value: …, source: … }</c>.</summary>
        public static IReadOnlyList<string> ValueKeys => NodeReader.s_valueKeys;

        /// <summary>Keys of a variant besides its variable overrides.</summary>
        public static IReadOnlyList<string> VariantKeys => FamilyReader.s_variantKeys;
        public static IReadOnlyList<string> PublishedMetrics => FamilyReader.s_metricKeys;
        public static IReadOnlyList<string> PublishedKeys => FamilyReader.s_publishedKeys;

        /// <summary>Top-level keys of a block library (<c>*.blocks.yaml</c>).</summary>
        public static IReadOnlyList<string> LibraryKeys => LibraryReader.s_topKeys;

        /// <summary>Keys every row may have besides its kind's parameters.</summary>
        public static IReadOnlyList<string> RowKeys => RowReader.RowKeys;

        /// <summary>The combinators (sequence, residual, parallel), the keys of their options and nested rows, and the merges of parallel.</summary>
        public static IReadOnlyList<string> Combinators => RowReader.Combinators;
        public static IReadOnlyList<string> CombinatorKeys => RowReader.s_combinatorKeys;
        public static IReadOnlyList<string> Merges => RowReader.s_merges;

        /// <summary>Keys of a block definition and of one of its declared parameters, and the parameter types.</summary>
        public static IReadOnlyList<string> BlockKeys => RowReader.s_blockKeys;
        public static IReadOnlyList<string> ParamKeys => RowReader.s_paramKeys;
        public static IReadOnlyList<string> ParamTypes => Blocks.BlockDefinition.Types;
    }
}
