using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Microsoft.Win32.SafeHandles;

namespace ArchDsl.Runtime;

/// <summary>Reads and writes the safetensors format: an 8-byte little-endian header length, a UTF-8 JSON
/// header <c>{name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {string: string}}</c>, then
/// the raw little-endian data, which the offsets must cover exactly (no overlaps, no holes). Every
/// violation is a <see cref="SafetensorsFormatException"/> naming the tensor (or, for text that is not UTF-8 JSON,
/// the file offset); nothing is allocated before the whole header has been checked, and nothing is returned partially.</summary>
public static class Safetensors
{
    private const string MetadataKey = "__metadata__";
    private const int HeaderStart = 8;
    private const int ReadChunk = 1 << 30;

    private static readonly Dictionary<string, ScalarType> Dtypes = new()
    {
        ["F64"] = ScalarType.Float64, ["F32"] = ScalarType.Float32, ["F16"] = ScalarType.Float16, ["BF16"] = ScalarType.BFloat16,
        ["I64"] = ScalarType.Int64, ["I32"] = ScalarType.Int32, ["I16"] = ScalarType.Int16, ["I8"] = ScalarType.Int8,
        ["U8"] = ScalarType.Byte, ["BOOL"] = ScalarType.Bool,
    };

    /// <summary>The safetensors name of a dtype ("F32", "I64", ...).</summary>
    public static string DtypeName(ScalarType dtype) => Dtypes.First(d => d.Value == dtype).Key;

    /// <summary>The tensors of a file in header order. The caller owns them (they join the current dispose scope).</summary>
    public static OrderedDictionary<string, Tensor> Load(string path) => Load(path, out _);

    public static OrderedDictionary<string, Tensor> Load(string path, out IReadOnlyDictionary<string, string> metadata)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("safetensors I/O needs a little-endian machine");
        using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read);
        long fileLength = RandomAccess.GetLength(file);
        if (fileLength < 8) throw Error(path, $"truncated file: {fileLength} bytes, shorter than the 8-byte header length");
        Span<byte> prefix = stackalloc byte[8];
        ReadExactly(path, file, prefix, 0);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength > (ulong)(fileLength - 8))
            throw Error(path, $"header length {headerLength} exceeds the {fileLength - 8} bytes that follow it");
        if (headerLength > int.MaxValue) throw Error(path, $"header length {headerLength} is too large");
        var header = new byte[headerLength];
        ReadExactly(path, file, header, HeaderStart);

        long dataStart = HeaderStart + (long)headerLength;
        var entries = ParseHeader(path, header, fileLength - dataStart, out metadata);
        CheckFitsInMemory(path, entries);
        var result = new OrderedDictionary<string, Tensor>();
        try
        {
            foreach (var e in entries)
            {
                var t = torch.empty(e.Shape, e.Dtype);
                result.Add(e.Name, t);
                ReadInto(path, e.Name, file, t, dataStart + e.Begin, e.End - e.Begin);
            }
        }
        catch
        {
            foreach (var t in result.Values) t.Dispose();
            throw;
        }
        return result;
    }

    private sealed record Entry(string Name, ScalarType Dtype, long[] Shape, long Begin, long End);

    private static List<Entry> ParseHeader(string path, byte[] header, long dataLength, out IReadOnlyDictionary<string, string> metadata)
    {
        CheckText(path, header);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(header);
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            throw Error(path, "header is not valid UTF-8 JSON: " + e.Message, e);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw Error(path, $"header must be a JSON object, found {root.ValueKind}");
            var meta = new Dictionary<string, string>();
            var entries = new List<Entry>();
            var names = new HashSet<string>();
            foreach (var property in root.EnumerateObject())
            {
                if (!names.Add(property.Name)) throw Error(path, $"key '{property.Name}' appears twice in the header");
                if (property.Name == MetadataKey) ReadMetadata(path, property.Value, meta);
                else entries.Add(ReadEntry(path, property.Name, property.Value, dataLength));
            }
            CheckCoverage(path, entries, dataLength);
            metadata = meta;
            return entries;
        }
    }

    /// <summary>The header must be UTF-8 JSON whose strings are valid Unicode. System.Text.Json checks the encoding
    /// and escapes such as a lone <c>\ud800</c> only when a string is read, and then with no position, so this pass
    /// finds the first fault and names its offset in the file.</summary>
    private static void CheckText(string path, byte[] header)
    {
        if (!Utf8.IsValid(header))
        {
            int offset = 0;
            while (Rune.DecodeFromUtf8(header.AsSpan(offset), out _, out int consumed) == System.Buffers.OperationStatus.Done)
                offset += consumed;
            throw Error(path, $"header is not valid UTF-8 JSON: invalid UTF-8 byte 0x{header[offset]:X2} at offset {HeaderStart + offset}");
        }
        var reader = new Utf8JsonReader(header);
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.PropertyName or JsonTokenType.String && !IsUnicode(ref reader))
                    throw Error(path, $"header is not valid UTF-8 JSON: the string at offset {HeaderStart + reader.TokenStartIndex} " +
                                      "escapes a lone UTF-16 surrogate");
            }
        }
        catch (JsonException e)
        {
            long offset = HeaderStart + OffsetOf(header, e.LineNumber ?? 0, e.BytePositionInLine ?? 0);
            throw Error(path, $"header is not valid UTF-8 JSON at offset {offset}: {e.Message}", e);
        }

        static bool IsUnicode(ref Utf8JsonReader reader)
        {
            try
            {
                reader.GetString();
                return true;
            }
            catch (InvalidOperationException)
            {
                return false;
            }
        }
    }

    /// <summary>The index of a (line, byte in line) position as System.Text.Json reports it.</summary>
    private static long OffsetOf(byte[] text, long line, long byteInLine)
    {
        long lineStart = 0;
        for (long seen = 0; seen < line; seen++)
            lineStart = Array.IndexOf(text, (byte)'\n', (int)lineStart) + 1;
        return lineStart + byteInLine;
    }

    /// <summary>A header may declare tensors far larger than the data actually stored (a sparse file reads as zeros):
    /// refuse what this process could never hold before allocating any of it.</summary>
    private static void CheckFitsInMemory(string path, List<Entry> entries)
    {
        long available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        long total = 0;
        foreach (var e in entries)
        {
            long bytes = e.End - e.Begin;
            if (bytes > available)
                throw Error(path, $"tensor '{e.Name}': {bytes} bytes, more than the {available} bytes of memory available");
            total += bytes;
        }
        if (total > available) throw Error(path, $"the tensors need {total} bytes, more than the {available} bytes of memory available");
    }

    private static void ReadMetadata(string path, JsonElement value, Dictionary<string, string> into)
    {
        if (value.ValueKind != JsonValueKind.Object) throw Error(path, $"{MetadataKey} must be an object of strings");
        foreach (var item in value.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String) throw Error(path, $"{MetadataKey}['{item.Name}'] must be a string");
            into[item.Name] = item.Value.GetString()!;
        }
    }

    private static Entry ReadEntry(string path, string name, JsonElement value, long dataLength)
    {
        if (value.ValueKind != JsonValueKind.Object) throw Error(path, $"tensor '{name}': entry must be an object");
        if (!value.TryGetProperty("dtype", out var dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String)
            throw Error(path, $"tensor '{name}': missing string 'dtype'");
        var dtypeName = dtypeElement.GetString()!;
        if (!Dtypes.TryGetValue(dtypeName, out var dtype))
            throw Error(path, $"tensor '{name}': unknown dtype '{dtypeName}' (supported: {string.Join(", ", Dtypes.Keys)})");
        var shape = ReadIntegers(path, name, value, "shape", expectedCount: null);
        var offsets = ReadIntegers(path, name, value, "data_offsets", expectedCount: 2);
        long begin = offsets[0], end = offsets[1];
        if (begin > end) throw Error(path, $"tensor '{name}': data_offsets [{begin}, {end}] end before they begin");
        if (end > dataLength) throw Error(path, $"tensor '{name}': data_offsets [{begin}, {end}] exceed the {dataLength} data bytes");
        long bytes;
        try
        {
            bytes = ScalarTypes.ElementSize(dtype);
            foreach (var s in shape) bytes = checked(bytes * s);
        }
        catch (OverflowException)
        {
            throw Error(path, $"tensor '{name}': shape {ShapeCheck.Format(shape)} is too large");
        }
        if (end - begin != bytes)
            throw Error(path, $"tensor '{name}': {dtypeName} {ShapeCheck.Format(shape)} needs {bytes} bytes, data_offsets [{begin}, {end}] hold {end - begin}");
        return new Entry(name, dtype, shape, begin, end);
    }

    private static long[] ReadIntegers(string path, string name, JsonElement entry, string field, int? expectedCount)
    {
        if (!entry.TryGetProperty(field, out var array) || array.ValueKind != JsonValueKind.Array)
            throw Error(path, $"tensor '{name}': missing array '{field}'");
        var values = new List<long>();
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out long v) || v < 0)
                throw Error(path, $"tensor '{name}': '{field}' must hold non-negative integers, found {item.GetRawText()}");
            values.Add(v);
        }
        if (expectedCount is { } count && values.Count != count)
            throw Error(path, $"tensor '{name}': '{field}' must hold {count} integers, found {values.Count}");
        return values.ToArray();
    }

    private static void CheckCoverage(string path, List<Entry> entries, long dataLength)
    {
        long covered = 0;
        Entry? previous = null;
        foreach (var e in entries.OrderBy(e => e.Begin).ThenBy(e => e.End))
        {
            if (e.Begin < covered)
                throw Error(path, $"tensor '{e.Name}': data_offsets [{e.Begin}, {e.End}] overlap tensor '{previous!.Name}' [{previous.Begin}, {previous.End}]");
            if (e.Begin > covered)
                throw Error(path, $"tensor '{e.Name}': data_offsets [{e.Begin}, {e.End}] leave bytes [{covered}, {e.Begin}) unused");
            covered = e.End;
            previous = e;
        }
        if (covered != dataLength) throw Error(path, $"the tensors cover {covered} of the {dataLength} data bytes");
    }

    private static unsafe void ReadInto(string path, string name, SafeFileHandle file, Tensor target, long offset, long length)
    {
        if (length == 0) return;
        byte* destination = (byte*)target.DataPointer();
        for (long done = 0; done < length;)
        {
            int count = (int)Math.Min(ReadChunk, length - done);
            int read = RandomAccess.Read(file, new Span<byte>(destination + done, count), offset + done);
            if (read <= 0) throw Error(path, $"tensor '{name}': file ended while reading its data");
            done += read;
        }
    }

    private static void ReadExactly(string path, SafeFileHandle file, Span<byte> buffer, long offset)
    {
        for (int done = 0; done < buffer.Length;)
        {
            int read = RandomAccess.Read(file, buffer[done..], offset + done);
            if (read <= 0) throw Error(path, "truncated file: ended inside the header");
            done += read;
        }
    }

    /// <summary>Writes the tensors in the given order, contiguous from offset 0, header padded with spaces to 8 bytes.</summary>
    public static void Save(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("safetensors I/O needs a little-endian machine");
        var items = tensors.ToList();
        var seen = new HashSet<string>();
        foreach (var (key, _) in items)
        {
            if (key == MetadataKey) throw new ArgumentException($"'{MetadataKey}' is reserved for metadata", nameof(tensors));
            if (!seen.Add(key)) throw new ArgumentException($"key '{key}' appears twice", nameof(tensors));
        }

        var header = new MemoryStream();
        using (var json = new Utf8JsonWriter(header))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject(MetadataKey);
                foreach (var (key, value) in metadata) json.WriteString(key, value);
                json.WriteEndObject();
            }
            long offset = 0;
            foreach (var (key, t) in items)
            {
                long bytes = t.numel() * t.element_size();
                json.WriteStartObject(key);
                json.WriteString("dtype", DtypeName(t.dtype));
                json.WriteStartArray("shape");
                foreach (var s in t.Shape) json.WriteNumberValue(s);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + bytes);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += bytes;
            }
            json.WriteEndObject();
        }
        while (header.Length % 8 != 0) header.WriteByte((byte)' ');

        using var output = new FileStream(path, FileMode.Create, FileAccess.Write);
        Span<byte> prefix = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)header.Length);
        output.Write(prefix);
        header.Position = 0;
        header.CopyTo(output);
        foreach (var (_, t) in items) WriteData(output, t);
    }

    private static unsafe void WriteData(Stream output, Tensor t)
    {
        long length = t.numel() * t.element_size();
        if (length == 0) return;
        using var contiguous = t.contiguous();
        byte* source = (byte*)contiguous.DataPointer();
        for (long done = 0; done < length;)
        {
            int count = (int)Math.Min(ReadChunk, length - done);
            output.Write(new ReadOnlySpan<byte>(source + done, count));
            done += count;
        }
    }

    private static SafetensorsFormatException Error(string path, string message, Exception? inner = null) => new(path, message, inner);
}
