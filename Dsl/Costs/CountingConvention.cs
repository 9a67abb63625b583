using System.Collections.Generic;
using System.Linq;

namespace ArchDsl.Dsl.Costs
{
    /// <summary>
    /// A way of turning the cost breakdown into one MAC number. Papers publish under different counters, which
    /// disagree on bias adds, norms, pooling and attention products;
    /// a published number names its convention and is checked under it.
    /// </summary>
    public abstract class CountingConvention
    {
        public abstract string Name { get; }
        public abstract string Description { get; }

        /// <summary>A paper's own formula: meaningful only for networks whose blocks give it per-entry overrides.</summary>
        public virtual bool FamilySpecific => false;

        public bool AppliesTo(IEnumerable<CostEntry> entries) => !FamilySpecific || entries.Any(e => e.OverrideFor(Name) != null);

        /// <summary>The count of one entry when no per-entry override applies.</summary>
        protected abstract long CountRule(CostEntry entry);

        public long Count(CostEntry entry) => entry.OverrideFor(Name) ?? CountRule(entry);

        public long Total(IEnumerable<CostEntry> entries) => entries.Sum(Count);

        public static readonly CountingConvention Macs = new WeightMacs();
        public static readonly CountingConvention Fvcore = new FvcoreMacs();
        public static readonly CountingConvention CvnetsV02 = new CvnetsV02Macs();
        public static readonly CountingConvention LightViTOfficial = new LightViTOfficialMacs();
        public static readonly CountingConvention Mmcv = new MmcvMacs();

        public static IReadOnlyList<CountingConvention> All { get; } = new[] { Macs, Fvcore, CvnetsV02, Mmcv, LightViTOfficial };

        public static CountingConvention? Find(string name) => All.FirstOrDefault(c => c.Name == name);

        public override string ToString() => Name;

        /// <summary>Multiply-accumulates of weights and attention matmuls only: no bias, norm, activation,
        /// pooling or element-wise op. Exactly what hooks on conv, linear and matmul measure at run time.</summary>
        private sealed class WeightMacs : CountingConvention
        {
            public override string Name => "macs";
            public override string Description => "conv + linear + matmul multiply-accumulates; nothing else";
            protected override long CountRule(CostEntry e) =>
                e.Op is OpKind.Conv or OpKind.ConvTranspose or OpKind.Linear or OpKind.Matmul ? e.Macs : 0;
        }

        /// <summary>fvcore's FlopCountAnalysis (1 "flop" = 1 MAC): conv, linear and matmul without bias; eval
        /// batch norm = elements × (2 if affine else 1); group and layer norm = elements × (5 if affine else 4);
        /// adaptive average pooling = input elements; upsampling = output elements (× 4 if bilinear).
        /// Activations, softmax, element-wise ops, Tensor.mean and max pooling are not counted.</summary>
        private sealed class FvcoreMacs : CountingConvention
        {
            public override string Name => "fvcore";
            public override string Description => "fvcore FlopCountAnalysis: weights, matmuls, norms, adaptive pooling, upsampling";
            protected override long CountRule(CostEntry e) => e.Op switch
            {
                OpKind.Conv or OpKind.ConvTranspose or OpKind.Linear or OpKind.Matmul => e.Macs,
                OpKind.BatchNorm => e.Elements * (e.Affine ? 2 : 1),
                OpKind.LayerNorm or OpKind.GroupNorm => e.Elements * (e.Affine ? 5 : 4),
                OpKind.AdaptiveAvgPool => e.Elements,
                OpKind.Interpolate => e.Elements * (e.Detail.Contains("bilinear") ? 4 : 1),
                _ => 0,
            };
        }

        /// <summary>cvnets v0.2 profile_model (the MobileViT and MobileViTv2 papers' numbers): conv MACs plus one add per
        /// output element for a bias; a linear layer counts its parameter number (weights and bias) whatever the token
        /// count (cvnets' transformer modules multiply it by the tokens: their rows say so with <c>counts:</c>); norms,
        /// activations, pooling and the separable-attention element-wise ops count 0.</summary>
        private sealed class CvnetsV02Macs : CountingConvention
        {
            public override string Name => "cvnets_v02";
            public override string Description => "cvnets v0.2 profile_model: conv MACs + bias adds; linear = its parameters; norms and element-wise 0";
            protected override long CountRule(CostEntry e) => e.Op switch
            {
                OpKind.Conv or OpKind.ConvTranspose => e.Macs + e.BiasAdds,
                OpKind.Linear => e.Params,
                OpKind.Matmul => e.Macs,
                _ => 0,
            };
        }

        /// <summary>mmcv 1.x get_model_complexity_info (derived from ptflops; module hooks only): conv MACs plus bias adds;
        /// linear = input elements × output features (no bias); matmuls written as tensor ops are invisible;
        /// batch, group and layer norm = elements × (2 if affine else 1); only the ReLU family of activations counts
        /// (one per element; GELU, SiLU and sigmoid are not mapped); pooling = input elements; upsampling = output elements.</summary>
        private sealed class MmcvMacs : CountingConvention
        {
            public override string Name => "mmcv";
            public override string Description => "mmcv get_model_complexity_info: conv + bias adds, linear, norms ×2, ReLU, pooling; no matmuls";
            protected override long CountRule(CostEntry e) => e.Op switch
            {
                OpKind.Conv or OpKind.ConvTranspose => e.Macs + e.BiasAdds,
                OpKind.Linear => e.Macs,
                OpKind.BatchNorm or OpKind.LayerNorm or OpKind.GroupNorm => e.Elements * (e.Affine ? 2 : 1),
                OpKind.Activation => e.Detail == "relu" ? e.Elements : 0,
                OpKind.AdaptiveAvgPool or OpKind.MaxPool or OpKind.AvgPool => e.Elements,
                OpKind.Interpolate => e.Elements,
                _ => 0,
            };
        }

        /// <summary>LightViT's own LightViT.flops() formula behind its published FLOPs: weights and attention
        /// matmuls without bias, with the blocks' deviations from true MACs given as per-entry overrides
        /// (window attention counted without its ws² factor, kv_global not counted, gating products counted).</summary>
        private sealed class LightViTOfficialMacs : CountingConvention
        {
            public override string Name => "lightvit_official";
            public override string Description => "LightViT.flops(): the official formula, incl. its under-count of window attention";
            public override bool FamilySpecific => true;
            protected override long CountRule(CostEntry e) =>
                e.Op is OpKind.Conv or OpKind.ConvTranspose or OpKind.Linear or OpKind.Matmul ? e.Macs : 0;
        }
    }
}
