using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ArchDsl.Dsl.Blocks.Primitives;
using ArchDsl.Dsl.Diagnostics;
using ArchDsl.Dsl.Model;
using ArchDsl.Dsl.Reading;

namespace ArchDsl.Dsl.Blocks
{
    /// <summary>
    /// The kinds a file can use, by their YAML name: every C# kind of this assembly (one file per kind, found by
    /// reflection, so adding a kind is adding its file), the blocks of the standard library shipped with ArchDsl
    /// (<c>Dsl/Library/*.blocks.yaml</c>), then the blocks of the project's own libraries and of the file itself.
    /// </summary>
    public sealed class KindCatalogue
    {
        private readonly Dictionary<string, IKind> _kinds;

        private KindCatalogue(Dictionary<string, IKind> kinds) => _kinds = kinds;

        /// <summary>The C# kinds: primitives and the papers' genuinely new operations.</summary>
        public static IReadOnlyList<BlockKind> CSharpKinds { get; } = typeof(BlockKind).Assembly.GetTypes()
            .Where(t => t.IsClass && !t.IsAbstract && typeof(BlockKind).IsAssignableFrom(t) && t.GetConstructor(Type.EmptyTypes) != null)
            .Select(t => (BlockKind)Activator.CreateInstance(t)!)
            .Concat(ActivationKind.All)
            .OrderBy(k => k.Name, StringComparer.Ordinal)
            .ToList();

        /// <summary>The C# kinds and the standard library.</summary>
        public static KindCatalogue Builtin => s_builtin.Value;

        private static readonly Lazy<KindCatalogue> s_builtin = new Lazy<KindCatalogue>(LoadBuiltin);

        /// <summary>The standard library's files (name, text), as shipped in this assembly.</summary>
        public static IReadOnlyList<(string Name, string Text)> StandardLibrary => s_standard.Value;

        private static readonly Lazy<IReadOnlyList<(string, string)>> s_standard = new Lazy<IReadOnlyList<(string, string)>>(() =>
        {
            var assembly = typeof(KindCatalogue).Assembly;
            const string prefix = "ArchDsl.Dsl.Library.";
            return assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).OrderBy(n => n, StringComparer.Ordinal)
                .Select(n =>
                {
                    using var reader = new StreamReader(assembly.GetManifestResourceStream(n)!);
                    return (n.Substring(prefix.Length), reader.ReadToEnd());
                }).ToList();
        });

        public IKind? Find(string name) => _kinds.TryGetValue(name, out var kind) ? kind : null;

        public IEnumerable<IKind> All => _kinds.Values;

        /// <summary>Every name a row's kind may take, for "did you mean".</summary>
        public IEnumerable<string> Names => _kinds.Keys.Concat(RowReader.Combinators);

        /// <summary>This catalogue and <paramref name="blocks"/>; a name defined twice is reported at the later definition
        /// (when <paramref name="diagnostics"/> is given) and left out.</summary>
        public KindCatalogue With(IEnumerable<BlockSpec> blocks, DiagnosticBag? diagnostics)
        {
            var kinds = new Dictionary<string, IKind>(_kinds);
            foreach (var spec in blocks)
            {
                if (kinds.TryGetValue(spec.Name, out var existing) || RowReader.Combinators.Contains(spec.Name))
                {
                    diagnostics?.Add(DiagnosticId.Duplicate, spec.NameSpan, $"block '{spec.Name}' is already defined {Where(existing)}");
                    continue;
                }
                kinds.Add(spec.Name, new BlockDefinition(spec));
            }
            return new KindCatalogue(kinds);
        }

        /// <summary>Where a kind comes from, for messages.</summary>
        public static string Where(IKind? kind) => kind switch
        {
            null => "as a combinator",
            BlockDefinition d when d.Origin.Length > 0 => $"in {d.Origin}",
            BlockDefinition => "in this file",
            _ => "as a C# kind of ArchDsl",
        };

        private static KindCatalogue LoadBuiltin()
        {
            var catalogue = new KindCatalogue(CSharpKinds.ToDictionary(k => k.Name, k => (IKind)k));
            var diagnostics = new DiagnosticBag();
            var libraries = StandardLibrary.Select(f => LibraryReader.Read(f.Text, "standard library " + f.Name, diagnostics)).ToList();
            catalogue = catalogue.With(libraries.Where(l => l != null).SelectMany(l => l!.Blocks), diagnostics);
            foreach (var library in libraries.Where(l => l != null))
                KindChecker.CheckBlocks(library!.Blocks, catalogue, diagnostics);
            if (diagnostics.Items.Count > 0)
                throw new InvalidOperationException("ArchDsl's standard library has errors: " + string.Join("; ", diagnostics.Items));
            return catalogue;
        }
    }
}
