using System;

namespace ArchDsl.Runtime;

/// <summary>Normalises each of <see cref="num_groups"/> channel groups of (N, C, ...) input; weight and bias [C].</summary>
public sealed class GroupNorm : Module<Tensor, Tensor>
{
    public GroupNorm(long num_groups, long num_channels, double eps = 1e-5, bool affine = true, string name = "GroupNorm") : base(name)
    {
        if (num_groups <= 0 || num_channels <= 0 || num_channels % num_groups != 0)
            throw new ArgumentException($"{name}: num_channels ({num_channels}) must be a positive multiple of num_groups ({num_groups})");
        this.num_groups = num_groups;
        this.num_channels = num_channels;
        this.eps = eps;
        if (affine)
        {
            weight = torch.ones([num_channels]);
            bias = torch.zeros([num_channels]);
            register_parameter("weight", weight);
            register_parameter("bias", bias);
        }
    }

    public long num_groups { get; }
    public long num_channels { get; }
    public double eps { get; }
    public Tensor? weight { get; }
    public Tensor? bias { get; }

    public override Tensor forward(Tensor input)
    {
        ShapeCheck.Channels(input, num_channels, name);
        return F.group_norm(input, num_groups, weight, bias, eps);
    }
}
