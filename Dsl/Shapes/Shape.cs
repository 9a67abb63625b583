using System;
using System.Globalization;
using System.Linq;
using ArchDsl.Dsl.Util;

namespace ArchDsl.Dsl.Shapes
{
    public enum ShapeForm
    {
        /// <summary>A feature map [B, C, H, W].</summary>
        Image,
        /// <summary>A vector per image [B, C] (after global pooling; logits).</summary>
        Vector,
        /// <summary>Tokens [B, N, C].</summary>
        Tokens,
        /// <summary>Any other rank.</summary>
        Tensor,
    }

    /// <summary>Tokens that are the pixels of an H×W map, row-major, after <see cref="Prefix"/> extra tokens (class or
    /// global tokens), along dimension <see cref="Axis"/> of the per-image dims. Lets tokens become a map again.</summary>
    public sealed record Grid(int Axis, int Height, int Width, int Prefix)
    {
        public int Tokens => Prefix + Height * Width;
    }

    /// <summary>
    /// The shape of a tensor flowing through a network, per image: <see cref="Dims"/> are the dimensions after the batch.
    /// The tensor's first dimension is B × <see cref="BatchFactor"/> (MobileViT folds patch positions into the batch).
    /// <see cref="Spatial"/> marks (bit i for Dims[i]) the dimensions that depend on the input resolution: generated code
    /// never bakes them in, and run-time checks leave them free.
    /// </summary>
    public sealed record Shape(EquatableArray<int> Dims, int BatchFactor, int Spatial, Grid? Grid)
    {
        public static Shape Of(int[] dims, int spatial = 0, Grid? grid = null, int batchFactor = 1) =>
            new Shape(dims.ToEquatableArray(), batchFactor, spatial & ((1 << dims.Length) - 1), grid);

        /// <summary>A feature map [B, C, H, W] whose H and W depend on the input size.</summary>
        public static Shape Image(int channels, int height, int width) => Of(new[] { channels, height, width }, 0b110);

        public static Shape Vector(int channels) => Of(new[] { channels });

        /// <summary>LightViT's tokens: T global tokens, then the H×W image tokens, width C.</summary>
        public static Shape Tokens(int channels, int height, int width, int globalTokens) =>
            Of(new[] { globalTokens + height * width, channels }, 0b01, new Grid(0, height, width, globalTokens));

        public int Rank => Dims.Count;

        public ShapeForm Form => Rank switch { 1 => ShapeForm.Vector, 2 => ShapeForm.Tokens, 3 => ShapeForm.Image, _ => ShapeForm.Tensor };

        /// <summary>The feature width: C of a map [C, H, W] or a vector, the last dimension otherwise.</summary>
        public int Channels => Rank == 3 || Rank == 1 ? Dims[0] : Rank == 0 ? 1 : Dims[Rank - 1];

        public int Last => Rank == 0 ? 1 : Dims[Rank - 1];

        /// <summary>H of a map [C, H, W], or of the grid of tokens [N, C].</summary>
        public int Height => Rank == 3 ? Dims[1] : Grid?.Height ?? 1;

        public int Width => Rank == 3 ? Dims[2] : Grid?.Width ?? 1;

        public int GlobalTokens => Grid?.Prefix ?? 0;

        public long Pixels => (long)Height * Width;

        /// <summary>Number of values per image.</summary>
        public long Elements
        {
            get
            {
                long n = BatchFactor;
                foreach (var d in Dims) n *= d;
                return n;
            }
        }

        public bool IsSpatial(int dim) => (Spatial & (1 << dim)) != 0;

        public int this[int dim] => Dims[dim];

        /// <summary>The index into <see cref="Dims"/> of a PyTorch dimension (0 is the batch; negative counts from the
        /// end), as rows write dims. The batch itself is not a per-image dimension.</summary>
        /// <param name="op">The operation, for the message.</param>
        public int Axis(int torchDim, string op)
        {
            int axis = torchDim < 0 ? Rank + torchDim : torchDim - 1;
            if (torchDim == 0 || torchDim == -(Rank + 1))
                throw new ShapeException(Diagnostics.DiagnosticId.FlowMismatch, $"{op}: dim {torchDim} is the batch of {this}");
            if (axis < 0 || axis >= Rank)
                throw new ShapeException(Diagnostics.DiagnosticId.FlowMismatch, $"{op}: dim {torchDim} is outside {this} (rank {Rank + 1})");
            return axis;
        }

        /// <summary>The same shape with one dimension replaced; it is spatial when <paramref name="spatial"/>.</summary>
        public Shape WithDim(int axis, int value, bool spatial)
        {
            var dims = Dims.ToArray();
            dims[axis] = value;
            int mask = spatial ? Spatial | (1 << axis) : Spatial & ~(1 << axis);
            return this with { Dims = dims.ToEquatableArray(), Spatial = mask, Grid = Grid is { } g && g.Axis == axis ? null : Grid };
        }

        public Shape WithDims(int[] dims, int spatial) => this with { Dims = dims.ToEquatableArray(), Spatial = spatial & ((1 << dims.Length) - 1) };

        public string FormName => Form switch
        {
            ShapeForm.Image => "a feature map",
            ShapeForm.Vector => "a vector",
            ShapeForm.Tokens => "tokens",
            _ => $"a rank-{Rank + 1} tensor",
        };

        /// <summary>The tensor shape with B for the batch, e.g. [B, 48, 56, 56]; grid tokens as [B, 1+14×14, 768].</summary>
        public override string ToString()
        {
            string batch = BatchFactor == 1 ? "B" : $"B·{I(BatchFactor)}";
            var parts = Dims.Select((d, i) => Grid is { } g && g.Axis == i && g.Tokens == d
                ? (g.Prefix > 0 ? $"{I(g.Prefix)}+" : "") + $"{I(g.Height)}×{I(g.Width)}"
                : I(d));
            return "[" + string.Join(", ", new[] { batch }.Concat(parts)) + "]";
        }

        public long[] ToArray(long batch) => new[] { batch * BatchFactor }.Concat(Dims.Select(d => (long)d)).ToArray();

        private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);

        /// <summary>PyTorch's output size of a convolution or pooling window along one axis.</summary>
        public static int ConvOut(int size, int kernel, int stride, int padding, int dilation = 1, bool ceil = false)
        {
            double steps = (size + 2.0 * padding - dilation * (kernel - 1) - 1) / stride;
            int n = (int)(ceil ? Math.Ceiling(steps) : Math.Floor(steps)) + 1;
            // ceil mode: the last window must start inside the input or the left padding (PyTorch's pooling rule)
            if (ceil && (n - 1) * stride >= size + padding) n--;
            return n;
        }
    }
}
