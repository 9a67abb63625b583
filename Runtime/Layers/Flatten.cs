namespace ArchDsl.Runtime;

/// <summary>Flattens dimensions start_dim..end_dim into one (nn.Flatten: the batch dimension is kept by default).</summary>
public sealed class Flatten : Module<Tensor, Tensor>
{
    public Flatten(long start_dim = 1, long end_dim = -1, string name = "Flatten") : base(name)
    {
        this.start_dim = start_dim;
        this.end_dim = end_dim;
    }

    public long start_dim { get; }
    public long end_dim { get; }

    public override Tensor forward(Tensor input) => input.flatten(start_dim, end_dim);
}
