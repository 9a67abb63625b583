using System;
using System.Collections.Generic;

namespace ArchDsl.Runtime;

/// <summary>
/// Mini-batches of a grey image set as float tensors [B, channels, H, W] (the grey value repeated on every channel,
/// scaled to [−1, 1]) with int64 labels [B]. Training batches come in a fresh seeded order every epoch and are augmented
/// with a random horizontal flip and a random shift of up to <see cref="MaxShift"/> pixels (zero fill), the usual simple
/// augmentation for small grey images; evaluation batches are in order and unchanged.
/// </summary>
public sealed class ImageBatches
{
    public const int MaxShift = 2;

    private readonly FashionMnist _data;
    private readonly int _channels;

    public ImageBatches(FashionMnist data, int batch_size, int channels = 3)
    {
        if (batch_size <= 0) throw new ArgumentOutOfRangeException(nameof(batch_size), batch_size, "batch size must be positive");
        if (channels <= 0) throw new ArgumentOutOfRangeException(nameof(channels), channels, "channels must be positive");
        _data = data;
        _channels = channels;
        this.batch_size = batch_size;
    }

    public int batch_size { get; }

    /// <summary>Full batches per training epoch (the remainder is dropped, as DataLoader(drop_last=True)).</summary>
    public int TrainBatchesPerEpoch => _data.Count / batch_size;

    /// <summary>The epoch's shuffled, augmented batches; the same seed and epoch give the same batches.</summary>
    public IEnumerable<(Tensor images, Tensor labels)> Train(int seed, int epoch)
    {
        var random = new Random(HashCode.Combine(seed, epoch));
        var order = new int[_data.Count];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        random.Shuffle(order);
        for (int b = 0; b < TrainBatchesPerEpoch; b++)
            yield return Make(order.AsSpan(b * batch_size, batch_size).ToArray(), random);
    }

    /// <summary>The first <paramref name="limit"/> images (all by default) in order, unaugmented.</summary>
    public IEnumerable<(Tensor images, Tensor labels)> Evaluation(int? limit = null)
    {
        int count = Math.Min(limit ?? _data.Count, _data.Count);
        for (int start = 0; start < count; start += batch_size)
        {
            int n = Math.Min(batch_size, count - start);
            var indices = new int[n];
            for (int i = 0; i < n; i++) indices[i] = start + i;
            yield return Make(indices, random: null);
        }
    }

    private (Tensor, Tensor) Make(int[] indices, Random? random)
    {
        int h = _data.height, w = _data.width, plane = h * w;
        var images = new float[indices.Length * _channels * plane];
        var labels = new long[indices.Length];
        for (int n = 0; n < indices.Length; n++)
        {
            int source = indices[n] * plane;
            bool flip = random?.Next(2) == 1;
            int dy = random?.Next(-MaxShift, MaxShift + 1) ?? 0, dx = random?.Next(-MaxShift, MaxShift + 1) ?? 0;
            int target = n * _channels * plane;
            for (int y = 0; y < h; y++)
            {
                for (int x = 0; x < w; x++)
                {
                    int sy = y + dy, sx = (flip ? w - 1 - x : x) + dx;
                    float value = sy >= 0 && sy < h && sx >= 0 && sx < w ? _data.pixels[source + sy * w + sx] : 0;
                    images[target + y * w + x] = value / 127.5f - 1f;
                }
            }
            for (int c = 1; c < _channels; c++) Array.Copy(images, target, images, target + c * plane, plane);
            labels[n] = _data.labels[indices[n]];
        }
        return (torch.tensor(images, [indices.Length, _channels, h, w]), torch.tensor(labels));
    }
}
