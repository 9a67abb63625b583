using System.Collections.Generic;

namespace ArchDsl.Dsl.Diagnostics
{
    /// <summary>The ADSL diagnostics: one id per kind of mistake in an architecture file.</summary>
    public sealed class DiagnosticId
    {
        private static readonly List<DiagnosticId> s_all = new List<DiagnosticId>();

        public static readonly DiagnosticId Syntax = new DiagnosticId("ADSL001", Severity.Error, "Malformed YAML/JSON");
        public static readonly DiagnosticId UnknownKey = new DiagnosticId("ADSL002", Severity.Error, "Unknown key");
        public static readonly DiagnosticId WrongType = new DiagnosticId("ADSL003", Severity.Error, "Value of the wrong type");
        public static readonly DiagnosticId MissingField = new DiagnosticId("ADSL004", Severity.Error, "Missing required field");
        public static readonly DiagnosticId OutOfRange = new DiagnosticId("ADSL005", Severity.Error, "Size out of range");
        public static readonly DiagnosticId UnknownKind = new DiagnosticId("ADSL006", Severity.Error, "Unknown block kind");
        public static readonly DiagnosticId BadExpression = new DiagnosticId("ADSL007", Severity.Error, "Invalid expression");
        public static readonly DiagnosticId HeadsDoNotDivide = new DiagnosticId("ADSL008", Severity.Error, "Heads or groups do not divide channels");
        public static readonly DiagnosticId SpatialNotDivisible = new DiagnosticId("ADSL009", Severity.Error, "Spatial size does not divide");
        public static readonly DiagnosticId FlowMismatch = new DiagnosticId("ADSL010", Severity.Error, "Channel or value flow does not connect");
        public static readonly DiagnosticId PublishedMismatch = new DiagnosticId("ADSL011", Severity.Warning, "Analytic count outside the published tolerance");
        public static readonly DiagnosticId Duplicate = new DiagnosticId("ADSL012", Severity.Error, "Duplicate key or name");
        public static readonly DiagnosticId UnknownConvention = new DiagnosticId("ADSL013", Severity.Error, "Unknown counting convention");
        public static readonly DiagnosticId NotInteger = new DiagnosticId("ADSL014", Severity.Error, "Value must be an integer");
        public static readonly DiagnosticId KnownGap = new DiagnosticId("ADSL015", Severity.Info, "Published number differs for a documented reason");
        public static readonly DiagnosticId RecursiveBlock = new DiagnosticId("ADSL016", Severity.Error, "Recursive block");
        public static readonly DiagnosticId NumberingGap = new DiagnosticId("ADSL017", Severity.Error, "Module numbering out of order");
        public static readonly DiagnosticId Degenerate = new DiagnosticId("ADSL018", Severity.Warning, "An operation degenerates at the declared resolution");
        public static readonly DiagnosticId Internal = new DiagnosticId("ADSL099", Severity.Error, "Internal error in ArchDsl");

        private DiagnosticId(string id, Severity severity, string title)
        {
            Id = id;
            DefaultSeverity = severity;
            Title = title;
            s_all.Add(this);
        }

        public string Id { get; }
        public Severity DefaultSeverity { get; }
        public string Title { get; }

        public static IReadOnlyList<DiagnosticId> All => s_all;

        public override string ToString() => Id;
    }
}
