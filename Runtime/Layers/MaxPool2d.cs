namespace ArchDsl.Runtime;

/// <summary>Max pooling of (N, C, H, W); stride defaults to kernel_size.</summary>
public sealed class MaxPool2d : Module<Tensor, Tensor>
{
    public MaxPool2d(long kernel_size, long? stride = null, long padding = 0, long dilation = 1, bool ceil_mode = false, string name = "MaxPool2d")
        : base(name)
    {
        this.kernel_size = kernel_size;
        this.stride = stride ?? kernel_size;
        this.padding = padding;
        this.dilation = dilation;
        this.ceil_mode = ceil_mode;
    }

    public long kernel_size { get; }
    public long stride { get; }
    public long padding { get; }
    public long dilation { get; }
    public bool ceil_mode { get; }

    public override Tensor forward(Tensor input) => F.max_pool2d(input, kernel_size, stride, padding, dilation, ceil_mode);
}
