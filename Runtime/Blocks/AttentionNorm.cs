namespace ArchDsl.Runtime.Blocks;

/// <summary>Norms of attention encoders over unfolded [B, d, P, N] patches.</summary>
public enum AttentionNorm
{
    /// <summary>cvnets' layer_norm_2d: GroupNorm with one group, normalising d·P·N jointly per sample.</summary>
    LayerNorm2d,
}
