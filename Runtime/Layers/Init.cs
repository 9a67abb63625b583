namespace ArchDsl.Runtime;

/// <summary>PyTorch's default initialisations, drawn from libtorch's default generator (seed it with
/// <see cref="torch.manual_seed"/> for reproducible weights).</summary>
internal static class Init
{
    /// <summary>U(-bound, bound). Conv and Linear use bound = 1/sqrt(fan_in) for weight and bias, which is what
    /// kaiming_uniform_(a=sqrt(5)) and PyTorch's bias rule reduce to.</summary>
    internal static Tensor Uniform(long[] shape, double bound)
    {
        using var u = torch.rand(shape);
        using var scaled = u * (2 * bound);
        return scaled - bound;
    }
}
