using System;
using System.Collections.Generic;
using System.Linq;
using ArchDsl.Dsl.Blocks.Layers;

namespace ArchDsl.Dsl.Blocks
{
    /// <summary>Every block kind an architecture file may use, by its YAML name: each non-abstract BlockKind class of
    /// this assembly (one file per kind, found by reflection, so adding a kind is adding its file), plus the
    /// activation kinds, which share one class.</summary>
    public static class BlockCatalogue
    {
        public static IReadOnlyList<BlockKind> All { get; } = typeof(BlockKind).Assembly.GetTypes()
            .Where(t => t.IsClass && !t.IsAbstract && typeof(BlockKind).IsAssignableFrom(t) && t.GetConstructor(Type.EmptyTypes) != null)
            .Select(t => (BlockKind)Activator.CreateInstance(t)!)
            .Concat(new BlockKind[]
            {
                new ActivationKind("relu", "ReLU"),
                new ActivationKind("gelu", "GELU"),
                new ActivationKind("silu", "SiLU"),
                new ActivationKind("sigmoid", "Sigmoid"),
                new ActivationKind("hardswish", "Hardswish"),
            })
            .OrderBy(k => k.Name, StringComparer.Ordinal)
            .ToList();

        private static readonly Dictionary<string, BlockKind> s_byName = All.ToDictionary(k => k.Name);

        public static BlockKind? Find(string name) => s_byName.TryGetValue(name, out var kind) ? kind : null;

        public static IEnumerable<string> Names => s_byName.Keys;
    }
}
