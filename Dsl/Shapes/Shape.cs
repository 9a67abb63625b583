using System;
using System.Globalization;

namespace ArchDsl.Dsl.Shapes
{
    public enum ShapeForm
    {
        /// <summary>A feature map [B, C, H, W].</summary>
        Image,
        /// <summary>A vector per image [B, C] (after global pooling; logits).</summary>
        Vector,
        /// <summary>Image tokens of an H×W map plus T global tokens, all of width C (LightViT).</summary>
        Tokens,
    }

    /// <summary>The shape of what flows between two rows, per image (the batch dimension is implied).</summary>
    public sealed record Shape(ShapeForm Form, int Channels, int Height, int Width, int GlobalTokens)
    {
        public static Shape Image(int channels, int height, int width) => new Shape(ShapeForm.Image, channels, height, width, 0);
        public static Shape Vector(int channels) => new Shape(ShapeForm.Vector, channels, 1, 1, 0);
        public static Shape Tokens(int channels, int height, int width, int globalTokens) =>
            new Shape(ShapeForm.Tokens, channels, height, width, globalTokens);

        public long Pixels => (long)Height * Width;

        /// <summary>Number of values per image.</summary>
        public long Elements => Form switch
        {
            ShapeForm.Vector => Channels,
            ShapeForm.Tokens => (Pixels + GlobalTokens) * Channels,
            _ => Pixels * Channels,
        };

        public string FormName => Form switch
        {
            ShapeForm.Image => "a feature map",
            ShapeForm.Vector => "a vector",
            _ => "tokens",
        };

        /// <summary>The tensor shape with B for the batch, e.g. [B, 48, 56, 56].</summary>
        public override string ToString() => Form switch
        {
            ShapeForm.Vector => $"[B, {I(Channels)}]",
            ShapeForm.Tokens => $"[B, {I(GlobalTokens)}+{I(Height)}×{I(Width)}, {I(Channels)}]",
            _ => $"[B, {I(Channels)}, {I(Height)}, {I(Width)}]",
        };

        public long[] ToArray(long batch) => Form switch
        {
            ShapeForm.Vector => new[] { batch, Channels },
            ShapeForm.Tokens => new[] { batch, Pixels + GlobalTokens, Channels },
            _ => new[] { batch, Channels, Height, (long)Width },
        };

        private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);

        /// <summary>PyTorch's output size of a convolution or pooling window along one axis.</summary>
        public static int ConvOut(int size, int kernel, int stride, int padding, int dilation = 1) =>
            (int)Math.Floor((size + 2.0 * padding - dilation * (kernel - 1) - 1) / stride) + 1;
    }
}
