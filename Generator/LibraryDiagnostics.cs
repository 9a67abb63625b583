using System;
using System.Linq;
using ArchDsl.Dsl.Analysis;
using ArchDsl.Dsl.Diagnostics;
using ArchDsl.Dsl.Util;

namespace ArchDsl.Generator
{
    /// <summary>The diagnostics of a project's block libraries, each located in its own file.</summary>
    internal static class LibraryDiagnostics
    {
        public static EquatableArray<DiagnosticInfo> Of(EquatableArray<ArchSourceFile> libraries)
        {
            try
            {
                return libraries.SelectMany(file => LibraryAnalysis.Run(file.Text, file.FileName,
                        libraries.Where(other => other != file).Select(other => (other.FileName, other.Text)).ToList())
                    .Select(d => FamilyModelBuilder.Info(d, file.Path))).ToEquatableArray();
            }
            catch (Exception e)
            {
                var internalError = new Diagnostic(DiagnosticId.Internal.Id, Severity.Error,
                    $"ArchDsl failed on the block libraries: {e.GetType().Name}: {e.Message}", default);
                return new[] { FamilyModelBuilder.Info(internalError, libraries.Count > 0 ? libraries[0].Path : "") }.ToEquatableArray();
            }
        }
    }
}
