using System.Linq;
using ArchDsl.Dsl.Util;

namespace ArchDsl.Dsl.Costs
{
    /// <summary>One operation of the network with everything a counter might count, per image.</summary>
    /// <param name="Path">The module path, equal to the runtime module's state_dict prefix.</param>
    /// <param name="Macs">Multiply-accumulates of the weights (conv, linear) or of a matmul; 0 otherwise.</param>
    /// <param name="BiasAdds">Additions of a bias (conv and linear with bias).</param>
    /// <param name="Elements">Values the op reads or writes: norm and activation inputs, pool inputs, interpolate outputs.</param>
    /// <param name="Params">Learnable parameters (buffers excluded).</param>
    /// <param name="Affine">For norms: whether they have a learnable scale and shift.</param>
    /// <param name="Overrides">Per-convention counts that replace the convention's rule for this entry
    /// (e.g. LightViT's own formula, which under-counts window attention).</param>
    public sealed record CostEntry(
        string Path,
        OpKind Op,
        long Macs,
        long BiasAdds,
        long Elements,
        long Params,
        bool Affine,
        string Detail,
        EquatableArray<ConventionOverride> Overrides)
    {
        public long? OverrideFor(string convention) =>
            Overrides.FirstOrDefault(o => o.Convention == convention)?.Count;
    }

    public sealed record ConventionOverride(string Convention, long Count);
}
