namespace ArchDsl.Runtime.Blocks;

/// <summary>
/// CAS-ViT's AdditiveBlock (official rcvit.py): x + LocalIntegration(x); x + CATM(BN(x)); x + MLP(BN(x)).
/// Names and registration order are the official ones: local_perception, norm1, attn, norm2, mlp.
/// Drop path is the identity at inference and not modelled.
/// </summary>
public sealed class CasBlock : Module<Tensor, Tensor>
{
    private readonly LocalIntegration _local;
    private readonly BatchNorm2d _norm1, _norm2;
    private readonly AdditiveTokenMixer _attn;
    private readonly ConvMlp _mlp;

    public CasBlock(long in_channels, double mlp_ratio, Activation act, bool qkv_bias) : base("CasBlock")
    {
        Channels = in_channels;
        _local = register_module("local_perception", new LocalIntegration(in_channels, act));
        _norm1 = register_module("norm1", new BatchNorm2d(in_channels));
        _attn = register_module("attn", new AdditiveTokenMixer(in_channels, qkv_bias));
        _norm2 = register_module("norm2", new BatchNorm2d(in_channels));
        _mlp = register_module("mlp", new ConvMlp(in_channels, (long)(in_channels * mlp_ratio), act));
    }

    public long Channels { get; }

    public override Tensor forward(Tensor x)
    {
        ShapeCheck.NCHW(x, Channels, name);
        using var scope = torch.NewDisposeScope();
        x = x + _local.call(x);
        x = x + _attn.call(_norm1.call(x));
        x = x + _mlp.call(_norm2.call(x));
        return scope.MoveToOuter(x);
    }

    /// <summary>1×1 conv, BN, 3×3 depthwise conv, act, 1×1 conv, as <c>network.0 … network.4</c>.</summary>
    private sealed class LocalIntegration : Module<Tensor, Tensor>
    {
        private readonly Sequential _network;

        public LocalIntegration(long c, Activation act) : base("LocalIntegration") =>
            _network = register_module("network", new Sequential(
                new Conv2d(c, c, 1),
                new BatchNorm2d(c),
                new Conv2d(c, c, 3, padding: 1, groups: c),
                Activations.Create(act),
                new Conv2d(c, c, 1)));

        public override Tensor forward(Tensor x) => _network.call(x);
    }

    /// <summary>Convolutional additive token mixer: out = proj(dwc(Φq(q) + Φk(k)) · v).</summary>
    private sealed class AdditiveTokenMixer : Module<Tensor, Tensor>
    {
        private readonly Conv2d _qkv, _dwc, _proj;
        private readonly Sequential _operQ, _operK;

        public AdditiveTokenMixer(long c, bool qkvBias) : base("AdditiveTokenMixer")
        {
            _qkv = register_module("qkv", new Conv2d(c, 3 * c, 1, bias: qkvBias));
            _operQ = register_module("oper_q", new Sequential(new SpatialOperation(c), new ChannelOperation(c)));
            _operK = register_module("oper_k", new Sequential(new SpatialOperation(c), new ChannelOperation(c)));
            _dwc = register_module("dwc", new Conv2d(c, c, 3, padding: 1, groups: c));
            _proj = register_module("proj", new Conv2d(c, c, 3, padding: 1, groups: c));
        }

        public override Tensor forward(Tensor x)
        {
            using var scope = torch.NewDisposeScope();
            var qkv = _qkv.call(x).chunk(3, 1);
            var q = _operQ.call(qkv[0]);
            var k = _operK.call(qkv[1]);
            return scope.MoveToOuter(_proj.call(_dwc.call(q + k) * qkv[2]));
        }
    }

    /// <summary>x · σ(1×1 conv to one channel (ReLU(BN(3×3 depthwise(x))))): a spatial gate.</summary>
    private sealed class SpatialOperation : Module<Tensor, Tensor>
    {
        private readonly Sequential _block;

        public SpatialOperation(long c) : base("SpatialOperation") =>
            _block = register_module("block", new Sequential(
                new Conv2d(c, c, 3, padding: 1, groups: c),
                new BatchNorm2d(c),
                new ReLU(),
                new Conv2d(c, 1, 1, bias: false),
                new Sigmoid()));

        public override Tensor forward(Tensor x)
        {
            using var scope = torch.NewDisposeScope();
            return scope.MoveToOuter(x * _block.call(x));
        }
    }

    /// <summary>x · σ(1×1 conv (global average of x)): a channel gate without reduction.</summary>
    private sealed class ChannelOperation : Module<Tensor, Tensor>
    {
        private readonly Sequential _block;

        public ChannelOperation(long c) : base("ChannelOperation") =>
            _block = register_module("block", new Sequential(
                new AdaptiveAvgPool2d(1),
                new Conv2d(c, c, 1, bias: false),
                new Sigmoid()));

        public override Tensor forward(Tensor x)
        {
            using var scope = torch.NewDisposeScope();
            return scope.MoveToOuter(x * _block.call(x));
        }
    }

    /// <summary>fc1 (1×1 conv), act, fc2 (1×1 conv).</summary>
    private sealed class ConvMlp : Module<Tensor, Tensor>
    {
        private readonly Conv2d _fc1, _fc2;
        private readonly Module<Tensor, Tensor> _act;

        public ConvMlp(long c, long hidden, Activation act) : base("Mlp")
        {
            _fc1 = register_module("fc1", new Conv2d(c, hidden, 1));
            _act = register_module("act", Activations.Create(act));
            _fc2 = register_module("fc2", new Conv2d(hidden, c, 1));
        }

        public override Tensor forward(Tensor x)
        {
            using var scope = torch.NewDisposeScope();
            return scope.MoveToOuter(_fc2.call(_act.call(_fc1.call(x))));
        }
    }
}
