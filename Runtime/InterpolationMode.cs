namespace ArchDsl.Runtime;

/// <summary>Modes of <see cref="F.interpolate"/>.</summary>
public enum InterpolationMode
{
    Nearest = 0,
    Bilinear = 1,
}
