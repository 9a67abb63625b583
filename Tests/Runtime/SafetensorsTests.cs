using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using ArchDsl.Runtime;
using ArchDsl.Tests.Support;
using Xunit;

namespace ArchDsl.Tests.Runtime;

public sealed class SafetensorsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("archdsl-safetensors-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string PathOf(string name) => Path.Combine(_dir, name);

    /// <summary>A file with the given header text and data bytes (the length prefix computed, or forced).</summary>
    private string Raw(string header, byte[] data, ulong? headerLength = null, string name = "raw.safetensors")
    {
        var headerBytes = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + headerBytes.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, headerLength ?? (ulong)headerBytes.Length);
        headerBytes.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + headerBytes.Length);
        File.WriteAllBytes(PathOf(name), bytes);
        return PathOf(name);
    }

    [Fact]
    public void Every_dtype_round_trips()
    {
        using var scope = torch.NewDisposeScope();
        var tensors = new OrderedDictionary<string, Tensor>
        {
            ["f32"] = torch.tensor([1.5f, -2f, 3.25f, 0f, 1e-8f, -1e8f], [2, 3]),
            ["f16"] = torch.tensor([(Half)0.5f, (Half)(-65504f)], [2]),
            ["bf16"] = torch.tensor([1f, -0.5f, 256f], [3], ScalarType.BFloat16),
            ["f64"] = torch.tensor([Math.PI], [1, 1]),
            ["i64"] = torch.tensor([long.MaxValue, -1L], [2]),
            ["i32"] = torch.tensor([int.MinValue, 7], [2]),
            ["bool"] = torch.tensor([true, false, true], [3]),
            ["u8"] = torch.from_bytes([0, 255], ScalarType.Byte, [2]),
            ["scalar"] = torch.tensor(42L),
            ["empty"] = torch.zeros([0, 4]),
        };
        var path = PathOf("all.safetensors");
        Safetensors.Save(path, tensors, new Dictionary<string, string> { ["format"] = "pt" });

        var loaded = Safetensors.Load(path, out var metadata);
        Assert.Equal("pt", metadata["format"]);
        Assert.Equal(tensors.Keys, loaded.Keys);
        foreach (var (key, expected) in tensors)
        {
            var actual = loaded[key];
            Assert.Equal(expected.dtype, actual.dtype);
            Assert.Equal(expected.shape, actual.shape);
            Assert.Equal(expected.bytes(), actual.bytes());
        }
        // the header length is a multiple of 8 (padded with spaces) and the data follows it contiguously
        var file = File.ReadAllBytes(path);
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(file);
        Assert.Equal(0UL, headerLength % 8);
        long dataBytes = tensors.Values.Sum(t => t.numel() * t.element_size());
        Assert.Equal(8 + (long)headerLength + dataBytes, file.Length);
        Assert.Contains("\"bf16\":{\"dtype\":\"BF16\",\"shape\":[3],\"data_offsets\":[", Encoding.UTF8.GetString(file, 8, (int)headerLength));
    }

    [Fact]
    public void Non_contiguous_tensors_are_written_in_logical_order()
    {
        using var scope = torch.NewDisposeScope();
        var t = torch.tensor([1f, 2f, 3f, 4f, 5f, 6f], [2, 3]).transpose(0, 1);
        var path = PathOf("transposed.safetensors");
        Safetensors.Save(path, [new("t", t)]);
        Assert.Equal(new[] { 1f, 4f, 2f, 5f, 3f, 6f }, Safetensors.Load(path)["t"].data<float>());
    }

    [Fact]
    public void Golden_casvit_weights_and_io_load()
    {
        using var scope = torch.NewDisposeScope();
        var weights = Safetensors.Load(Path.Combine(Repository.Golden, "casvit_tiny_a.weights.safetensors"));
        Assert.Equal(284, weights.Count);
        Assert.Equal("patch_embed.0.weight", weights.GetAt(0).Key);
        Assert.Equal("dist_head.bias", weights.GetAt(weights.Count - 1).Key);
        Assert.Equal(new long[] { 8, 3, 3, 3 }, weights["patch_embed.0.weight"].shape);
        // first values as numpy reads them from the same file
        Assertions.Close([-0.05107976f, 0.10282718f, -0.03531516f], weights["patch_embed.0.weight"].flatten().narrow(0, 0, 3), [3]);
        var counters = weights.Where(w => w.Key.EndsWith(".num_batches_tracked", StringComparison.Ordinal)).ToList();
        Assert.Equal(31, counters.Count);
        Assert.All(counters, c => Assert.Equal(ScalarType.Int64, c.Value.dtype));
        Assert.All(counters, c => Assert.Empty(c.Value.shape));
        // meta.json: 101,652 parameters = all entries except the BatchNorm buffers
        string[] buffers = [".running_mean", ".running_var", ".num_batches_tracked"];
        Assert.Equal(101_652, weights.Where(w => !buffers.Any(b => w.Key.EndsWith(b, StringComparison.Ordinal))).Sum(w => w.Value.numel()));

        var io = Safetensors.Load(Path.Combine(Repository.Golden, "casvit_tiny_a.io.safetensors"));
        Assert.Equal(["input", "output"], io.Keys);
        Assert.Equal(new long[] { 2, 3, 64, 64 }, io["input"].shape);
        Assert.Equal(new long[] { 2, 10 }, io["output"].shape);
        Assertions.Close([-0.03367851f, 0.0923357f, -0.04461853f], io["output"].flatten().narrow(0, 0, 3), [3]);
    }

    [Fact]
    public void Module_save_and_load_round_trip()
    {
        using var a = new Sequential(new Conv2d(3, 4, 3), new BatchNorm2d(4));
        using var b = new Sequential(new Conv2d(3, 4, 3), new BatchNorm2d(4));
        var path = PathOf("module.safetensors");
        a.save_safetensors(path);
        var (missing, unexpected) = b.load_safetensors(path);
        Assert.Empty(missing);
        Assert.Empty(unexpected);
        foreach (var (key, value) in a.state_dict()) Assert.Equal(value.bytes(), b.state_dict()[key].bytes());
    }

    [Fact]
    public void Loading_a_different_dtype_into_a_module_names_the_key()
    {
        using var linear = new Linear(2, 2);
        using var scope = torch.NewDisposeScope();
        var path = PathOf("half.safetensors");
        Safetensors.Save(path, [new("weight", torch.ones([2, 2], ScalarType.Float16)), new("bias", torch.ones([2]))]);
        var before = linear.weight.bytes();
        var e = Assert.Throws<SafetensorsFormatException>(() => linear.load_safetensors(path));
        Assert.Contains("weight is F16, the module holds F32", e.Message);
        Assert.Equal(before, linear.weight.bytes());
    }

    public static TheoryData<string, string, string> Malformed => new()
    {
        // case, header, text the message must contain
        { "bad json", "{\"a\": {\"dtype\": \"F32\",", "not valid UTF-8 JSON" },
        { "not an object", "[1, 2]", "must be a JSON object" },
        { "unknown dtype", "{\"a\":{\"dtype\":\"F8\",\"shape\":[2],\"data_offsets\":[0,8]}}", "tensor 'a': unknown dtype 'F8'" },
        { "negative shape", "{\"a\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", "tensor 'a': 'shape' must hold non-negative integers" },
        { "fractional shape", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2.5],\"data_offsets\":[0,8]}}", "tensor 'a': 'shape' must hold non-negative integers" },
        { "missing offsets", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2]}}", "tensor 'a': missing array 'data_offsets'" },
        { "three offsets", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4,8]}}", "tensor 'a': 'data_offsets' must hold 2 integers" },
        { "offsets out of range", "{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", "tensor 'a': data_offsets [0, 16] exceed the 8 data bytes" },
        { "reversed offsets", "{\"a\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,0]}}", "tensor 'a': data_offsets [8, 0] end before they begin" },
        { "wrong byte length", "{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", "tensor 'a': F32 [3] needs 12 bytes, data_offsets [0, 8] hold 8" },
        { "overlap", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}",
          "tensor 'b': data_offsets [4, 8] overlap tensor 'a' [0, 8]" },
        { "hole", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", "tensor 'a': data_offsets [4, 8] leave bytes [0, 4) unused" },
        { "trailing bytes", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", "the tensors cover 4 of the 8 data bytes" },
        { "duplicate key", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}",
          "key 'a' appears twice" },
        { "metadata not strings", "{\"__metadata__\":{\"n\":1},\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", "__metadata__['n'] must be a string" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_headers_are_rejected_with_a_clear_message(string @case, string header, string expected)
    {
        using var scope = torch.NewDisposeScope();
        var path = Raw(header, new byte[8], name: @case.Replace(' ', '_') + ".safetensors");
        var e = Assert.Throws<SafetensorsFormatException>(() => Safetensors.Load(path));
        Assert.Contains(expected, e.Message);
        Assert.Equal(path, e.Path);
        Assert.Equal(0, scope.DisposablesCount); // nothing loaded partially
    }

    private const string OneTensor = "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}";

    /// <summary>Issue 11's examples: System.Text.Json accepts these headers and fails later, when a name or value is
    /// read, with an <see cref="InvalidOperationException"/>; the loader names the offset in the file instead.</summary>
    public static TheoryData<string, byte[], string> NotUnicode => new()
    {
        // case, header bytes, text the message must contain (offsets: 8-byte length prefix + index in the header)
        { "invalid byte in a key", Bytes("{\"a", [0xFF], "b\":{}," + OneTensor + "}"), "invalid UTF-8 byte 0xFF at offset 11" },
        { "encoded surrogate in a key", Bytes("{\"a", [0xED, 0xA0, 0x80], "\":{}}"), "invalid UTF-8 byte 0xED at offset 11" },
        { "truncated sequence at the end", Bytes("{" + OneTensor + "}", [0xE2, 0x82]), "invalid UTF-8 byte 0xE2 at offset 62" },
        { "lone surrogate escape in a key", Bytes("{\"a\\ud800\":{}}"), "the string at offset 9 escapes a lone UTF-16 surrogate" },
        { "lone surrogate escape in __metadata__", Bytes("{\"__metadata__\":{\"k\":\"v\\udc00\"}," + OneTensor + "}"),
          "the string at offset 29 escapes a lone UTF-16 surrogate" },
        { "bad json on the second line", Bytes("{\n\"a\": [}"), "not valid UTF-8 JSON at offset 16" },
    };

    private static byte[] Bytes(string text, byte[]? then = null, string after = "") =>
        [.. Encoding.UTF8.GetBytes(text), .. then ?? [], .. Encoding.UTF8.GetBytes(after)];

    [Theory]
    [MemberData(nameof(NotUnicode))]
    public void Headers_that_are_not_unicode_are_format_errors_naming_the_offset(string @case, byte[] header, string expected)
    {
        using var scope = torch.NewDisposeScope();
        var path = PathOf(@case.Replace(' ', '_') + ".safetensors");
        var bytes = new byte[8 + header.Length + 8];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)header.Length);
        header.CopyTo(bytes, 8);
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<SafetensorsFormatException>(() => Safetensors.Load(path));
        Assert.Contains(expected, e.Message);
        Assert.Equal(0, scope.DisposablesCount);
    }

    /// <summary>Issue 11: a header declaring 1 TiB over a sparse file (the data reads as zeros, takes no disk) was an
    /// allocation failure; it is a format error before any tensor is allocated or any data read.</summary>
    [Fact]
    public void A_tensor_larger_than_memory_is_rejected_before_anything_is_allocated()
    {
        using var scope = torch.NewDisposeScope();
        const long TiB = 1L << 40;
        var path = Raw($"{{\"huge\":{{\"dtype\":\"F32\",\"shape\":[{TiB / 4}],\"data_offsets\":[0,{TiB}]}}}}", []);
        using (var file = new FileStream(path, FileMode.Open)) file.SetLength(file.Length + TiB);
        var e = Assert.Throws<SafetensorsFormatException>(() => Safetensors.Load(path));
        Assert.Contains($"tensor 'huge': {TiB} bytes, more than the", e.Message);
        Assert.Equal(0, scope.DisposablesCount);
    }

    [Fact]
    public void Truncated_files_and_bad_header_lengths_are_rejected()
    {
        File.WriteAllBytes(PathOf("tiny"), [1, 2, 3]);
        Assert.Contains("truncated file: 3 bytes", Assert.Throws<SafetensorsFormatException>(() => Safetensors.Load(PathOf("tiny"))).Message);

        var header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        var tooLong = Raw(header, new byte[8], headerLength: 1_000_000, name: "long");
        Assert.Contains("header length 1000000 exceeds", Assert.Throws<SafetensorsFormatException>(() => Safetensors.Load(tooLong)).Message);

        var cut = Raw(header, new byte[5], name: "cut"); // data shorter than the offsets claim
        Assert.Contains("exceed the 5 data bytes", Assert.Throws<SafetensorsFormatException>(() => Safetensors.Load(cut)).Message);

        File.WriteAllBytes(PathOf("garbage"), [2, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFE]); // header is not UTF-8
        Assert.Contains("not valid UTF-8 JSON", Assert.Throws<SafetensorsFormatException>(() => Safetensors.Load(PathOf("garbage"))).Message);
    }

    [Fact]
    public void A_valid_hand_written_file_loads()
    {
        using var scope = torch.NewDisposeScope();
        var data = new byte[12];
        BinaryPrimitives.WriteSingleLittleEndian(data, 1.5f);
        BinaryPrimitives.WriteInt64LittleEndian(data.AsSpan(4), -3);
        var path = Raw("{\"x\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4]},\"n\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[4,12]}}  ", data);
        var loaded = Safetensors.Load(path);
        Assert.Equal(1.5f, loaded["x"].item<float>());
        Assert.Equal(-3L, loaded["n"].item<long>());
    }
}
