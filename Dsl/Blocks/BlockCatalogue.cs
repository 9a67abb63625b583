using System.Collections.Generic;
using System.Linq;
using ArchDsl.Dsl.Blocks.CasVit;
using ArchDsl.Dsl.Blocks.Cvnets;
using ArchDsl.Dsl.Blocks.Layers;

namespace ArchDsl.Dsl.Blocks
{
    /// <summary>Every block kind an architecture file may use, by its YAML name.</summary>
    public static class BlockCatalogue
    {
        public static IReadOnlyList<BlockKind> All { get; } = new BlockKind[]
        {
            // layers
            new Conv2dKind(),
            new BatchNormKind(),
            new ActivationKind("relu", "ReLU"),
            new ActivationKind("gelu", "GELU"),
            new ActivationKind("silu", "SiLU"),
            new ActivationKind("sigmoid", "Sigmoid"),
            new ActivationKind("hardswish", "Hardswish"),
            new LinearKind(),
            new MeanPoolKind(),
            new AdaptiveAvgPoolKind(),
            // CAS-ViT
            new CasBlockKind(),
            new EmbeddingKind(),
            new DistillationHeadKind(),
            // cvnets (MobileViT v1/v2 and models built on cvnets)
            new ConvLayerKind(),
            new InvertedResidualKind(),
            new MobileVitV2BlockKind(),
        };

        private static readonly Dictionary<string, BlockKind> s_byName = All.ToDictionary(k => k.Name);

        public static BlockKind? Find(string name) => s_byName.TryGetValue(name, out var kind) ? kind : null;

        public static IEnumerable<string> Names => s_byName.Keys;
    }
}
