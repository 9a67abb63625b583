namespace ArchDsl.Runtime;

/// <summary>Softmax along <see cref="dim"/> (nn.Softmax).</summary>
public sealed class Softmax : Module<Tensor, Tensor>
{
    public Softmax(long dim, string name = "Softmax") : base(name) => this.dim = dim;

    public long dim { get; }

    public override Tensor forward(Tensor input) => F.softmax(input, dim);
}
