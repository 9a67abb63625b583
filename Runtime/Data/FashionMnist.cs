using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;

namespace ArchDsl.Runtime;

/// <summary>
/// Fashion-MNIST (Xiao, Rasul &amp; Vollgraf, arXiv 1708.07747): 28 × 28 grey images of 10 clothing classes, 60,000 for
/// training and 10,000 for testing, read from the gzipped IDX files Debian's <c>dataset-fashion-mnist</c> package
/// installs (scripts/setup.sh). IDX: a big-endian magic (0x801 labels, 0x803 images), the dimension sizes, then bytes.
/// </summary>
public sealed class FashionMnist
{
    public const string DefaultDirectory = "/usr/share/datasets/fashion-mnist";

    public static readonly string[] Classes =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    private FashionMnist(byte[] pixels, byte[] labels, int height, int width)
    {
        this.pixels = pixels;
        this.labels = labels;
        this.height = height;
        this.width = width;
    }

    /// <summary>Row-major pixels of every image, 0 (background) to 255.</summary>
    public byte[] pixels { get; }

    /// <summary>Class index (0–9) of every image.</summary>
    public byte[] labels { get; }

    public int height { get; }
    public int width { get; }
    public int Count => labels.Length;

    /// <summary>The "train" or "test" split.</summary>
    public static FashionMnist Load(string split, string directory = DefaultDirectory)
    {
        string prefix = split switch
        {
            "train" => "train",
            "test" => "t10k",
            _ => throw new ArgumentException($"split must be \"train\" or \"test\", got \"{split}\"", nameof(split)),
        };
        var (labels, _) = ReadIdx(Path.Combine(directory, prefix + "-labels-idx1-ubyte.gz"), magic: 0x801);
        var (pixels, dims) = ReadIdx(Path.Combine(directory, prefix + "-images-idx3-ubyte.gz"), magic: 0x803);
        if (dims[0] != labels.Length)
            throw new InvalidDataException($"Fashion-MNIST {split}: {dims[0]} images but {labels.Length} labels");
        return new FashionMnist(pixels, labels, dims[1], dims[2]);
    }

    private static (byte[] data, int[] dims) ReadIdx(string path, int magic)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path} not found: install Debian's dataset-fashion-mnist (scripts/setup.sh does)", path);
        using var stream = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        var bytes = memory.GetBuffer().AsSpan(0, (int)memory.Length);
        int found = bytes.Length >= 4 ? BinaryPrimitives.ReadInt32BigEndian(bytes) : -1;
        if (found != magic) throw new InvalidDataException($"{path}: IDX magic 0x{found:X}, expected 0x{magic:X}");
        int rank = magic & 0xFF;
        var dims = new int[rank];
        long count = 1;
        for (int i = 0; i < rank; i++)
        {
            dims[i] = BinaryPrimitives.ReadInt32BigEndian(bytes[(4 + 4 * i)..]);
            count *= dims[i];
        }
        int offset = 4 + 4 * rank;
        if (bytes.Length - offset != count) throw new InvalidDataException($"{path}: {bytes.Length - offset} data bytes, the header declares {count}");
        return (bytes[offset..].ToArray(), dims);
    }
}
