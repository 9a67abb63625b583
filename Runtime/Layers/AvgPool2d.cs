namespace ArchDsl.Runtime;

/// <summary>Average pooling of (N, C, H, W); stride defaults to kernel_size.</summary>
public sealed class AvgPool2d : Module<Tensor, Tensor>
{
    public AvgPool2d(long kernel_size, long? stride = null, long padding = 0, bool ceil_mode = false, bool count_include_pad = true,
        string name = "AvgPool2d") : base(name)
    {
        this.kernel_size = kernel_size;
        this.stride = stride ?? kernel_size;
        this.padding = padding;
        this.ceil_mode = ceil_mode;
        this.count_include_pad = count_include_pad;
    }

    public long kernel_size { get; }
    public long stride { get; }
    public long padding { get; }
    public bool ceil_mode { get; }
    public bool count_include_pad { get; }

    public override Tensor forward(Tensor input) => F.avg_pool2d(input, kernel_size, stride, padding, ceil_mode, count_include_pad);
}
