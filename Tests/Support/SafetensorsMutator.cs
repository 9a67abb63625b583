using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;

namespace ArchDsl.Tests.Support;

/// <summary>Seeded mutations of a well-formed safetensors file, for fuzzing the loader: the length prefix, the JSON
/// text, the offsets, dtypes and shapes of the entries, the UTF-8 of keys and metadata, and the data. Each mutant is
/// reproducible from its seed; <see cref="Mutant.Steps"/> says what was done.</summary>
public sealed class SafetensorsMutator
{
    private readonly List<(string Key, JsonNode Value)> _entries;
    private readonly byte[] _data;

    /// <summary>Starts from a file as <c>Safetensors.Save</c> writes it.</summary>
    public SafetensorsMutator(byte[] file)
    {
        int headerLength = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(file));
        var header = JsonNode.Parse(file.AsSpan(8, headerLength))!.AsObject();
        _entries = header.Select(p => (p.Key, p.Value!.DeepClone())).ToList();
        _data = file[(8 + headerLength)..];
    }

    public sealed record Mutant(byte[] Bytes, IReadOnlyList<string> Steps);

    public Mutant Mutate(int seed)
    {
        var random = new Random(seed);
        var steps = new List<string>();
        var entries = _entries.Select(e => (Key: JsonEscape(e.Key), Value: (JsonNode?)e.Value.DeepClone())).ToList();
        int count = random.Next(1, 4);
        bool structural = random.Next(2) == 0;
        for (int i = 0; i < count && structural; i++) steps.Add(MutateEntries(random, entries));

        var header = new List<byte>(Encoding.UTF8.GetBytes(
            "{" + string.Join(",", entries.Select(e => $"\"{e.Key}\":{e.Value?.ToJsonString() ?? "null"}")) + "}"));
        var data = new List<byte>(_data);
        ulong? length = null;
        for (int i = 0; i < count && !structural; i++)
        {
            switch (random.Next(4))
            {
                case 0: steps.Add(MutateText(random, header)); break;
                case 1: steps.Add(MutateUtf8(random, header)); break;
                case 2: steps.Add(MutateData(random, data)); break;
                default: length = MutateLength(random, header.Count, data.Count, steps); break;
            }
        }

        var bytes = new byte[8 + header.Count + data.Count];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, length ?? (ulong)header.Count);
        header.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + header.Count);
        return new Mutant(bytes, steps);
    }

    // ---- the JSON model: offsets, dtypes, shapes, keys, metadata ----

    private static readonly string[] DtypeNames = ["F64", "F32", "F16", "BF16", "I64", "I32", "I16", "I8", "U8", "BOOL", "f32", "F8_E4M3", "", "C64"];

    private static string MutateEntries(Random random, List<(string Key, JsonNode? Value)> entries)
    {
        int index = random.Next(entries.Count);
        var (key, value) = entries[index];
        var tensor = value as JsonObject;
        switch (random.Next(9))
        {
            case 0 when tensor is not null && tensor["data_offsets"] is JsonArray offsets && offsets.Count > 0:
            {
                int which = random.Next(offsets.Count);
                var number = Number(random, offsets[which]);
                offsets[which] = number;
                return $"{key}.data_offsets[{which}] = {number?.ToJsonString() ?? "null"}";
            }
            case 1 when tensor is not null:
                tensor["dtype"] = random.Next(8) == 0 ? JsonValue.Create(random.Next(100)) : DtypeNames[random.Next(DtypeNames.Length)];
                return $"{key}.dtype = {tensor["dtype"]!.ToJsonString()}";
            case 2 when tensor is not null && tensor["shape"] is JsonArray shape:
            {
                if (shape.Count > 0 && random.Next(3) > 0)
                {
                    int which = random.Next(shape.Count);
                    var number = Number(random, shape[which]);
                    shape[which] = number;
                    return $"{key}.shape[{which}] = {number?.ToJsonString() ?? "null"}";
                }
                if (shape.Count > 0 && random.Next(2) == 0)
                {
                    shape.RemoveAt(random.Next(shape.Count));
                    return $"{key}.shape: a dimension removed";
                }
                int rank = random.Next(4) == 0 ? random.Next(20, 200) : 1; // deep ranks too
                for (int r = 0; r < rank; r++) shape.Insert(random.Next(shape.Count + 1), random.Next(3));
                return $"{key}.shape: {rank} dimension(s) inserted";
            }
            case 3:
            {
                var other = entries[random.Next(entries.Count)];
                entries.Insert(random.Next(entries.Count + 1), (other.Key, other.Value?.DeepClone()));
                return $"{other.Key}: duplicated";
            }
            case 4:
                entries.RemoveAt(index);
                return $"{key}: removed";
            case 5:
            {
                string[] names = ["__metadata__", "", "a.b", "x", "\\u00e9", "\\ud83d\\ude00", "\\u0000", key + "s"];
                string name = names[random.Next(names.Length)];
                entries[index] = (name, value);
                return $"{key}: renamed to {name}";
            }
            case 6:
            {
                string[] replacements = ["null", "1", "\"F32\"", "[]", "{}", "{\"dtype\":\"F32\"}", "{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4],\"x\":{}}"];
                string replacement = replacements[random.Next(replacements.Length)];
                entries[index] = (key, JsonNode.Parse(replacement));
                return $"{key} = {replacement}";
            }
            case 7 when tensor is not null && tensor["data_offsets"] is JsonArray offsets:
                if (offsets.Count > 0 && random.Next(2) == 0) offsets.RemoveAt(random.Next(offsets.Count));
                else offsets.Add(random.Next(1000));
                return $"{key}.data_offsets: now {offsets.Count} values";
            default:
            {
                var metadata = entries.FindIndex(e => e.Key == "__metadata__");
                string[] values = ["\"pt\"", "1", "null", "{\"x\":\"y\"}", "\"\\u00e9\"", "\"a\\u0000b\""];
                string v = values[random.Next(values.Length)];
                if (metadata >= 0 && entries[metadata].Value is JsonObject existing) existing["format"] = JsonNode.Parse(v);
                else entries.Insert(0, ("__metadata__", JsonNode.Parse("{\"format\":" + v + "}")));
                return $"__metadata__.format = {v}";
            }
        }
    }

    /// <summary>A number near the given one, at a boundary of long or double, negative, fractional, or not a number.</summary>
    private static JsonNode? Number(Random random, JsonNode? current)
    {
        long value = current is JsonValue v && v.TryGetValue(out long l) ? l : 0;
        string[] raw = ["-1", "0", "1.5", "1e30", "9223372036854775807", "9223372036854775808", "18446744073709551616", "-9223372036854775808",
            "4294967296", "1099511627776", "\"8\"", "null", "true", "1e-3", "0.0"];
        return random.Next(3) switch
        {
            0 => JsonValue.Create(value + random.Next(-8, 9)),
            1 => JsonValue.Create((long)random.Next(0, 2000)),
            _ => JsonNode.Parse(raw[random.Next(raw.Length)]),
        };
    }

    // ---- bytes: JSON text, UTF-8, data, length prefix ----

    private static readonly byte[] JsonBytes = "{}[]:,\"\\-0123456789.eE \n\tnulltruefalse"u8.ToArray();

    private static string MutateText(Random random, List<byte> header)
    {
        if (header.Count == 0) { header.Add((byte)'{'); return "header: '{' added"; }
        int at = random.Next(header.Count);
        switch (random.Next(6))
        {
            case 5:
            {
                int depth = random.Next(2) == 0 ? 65 : 10_000; // System.Text.Json's default limit is 64
                header.InsertRange(at, Encoding.UTF8.GetBytes(new string('[', depth) + new string(']', depth)));
                return $"header: {depth} nested arrays inserted at {at}";
            }
            case 0:
                header[at] = random.Next(2) == 0 ? JsonBytes[random.Next(JsonBytes.Length)] : (byte)random.Next(256);
                return $"header[{at}] replaced";
            case 1:
            {
                int n = Math.Min(random.Next(1, 16), header.Count - at);
                header.RemoveRange(at, n);
                return $"header[{at}..+{n}] deleted";
            }
            case 2:
            {
                int n = Math.Min(random.Next(1, 32), header.Count - at);
                header.InsertRange(random.Next(header.Count + 1), header.GetRange(at, n));
                return $"header[{at}..+{n}] duplicated";
            }
            case 3:
                header.RemoveRange(at, header.Count - at);
                return $"header truncated to {at} bytes";
            default:
                header.Insert(at, JsonBytes[random.Next(JsonBytes.Length)]);
                return $"header: a JSON byte inserted at {at}";
        }
    }

    private static readonly string[] Utf8Insertions =
        ["\\ud800", "\\udfff", "\\ud83d", "\\ud83d\\ude00", "\\u0000", "é", "😀", "\\", "\\x", "\\u12"];

    private static readonly byte[][] InvalidUtf8 =
        [[0x80], [0xC0, 0x80], [0xC3], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xFF], [0xFE], [0xE2, 0x82], [0xF0, 0x9F, 0x98]];

    /// <summary>Inserts invalid UTF-8, a lone surrogate escape, or valid non-ASCII text just inside a string.</summary>
    private static string MutateUtf8(Random random, List<byte> header)
    {
        var quotes = Enumerable.Range(0, header.Count).Where(i => header[i] == (byte)'"').ToList();
        int at = quotes.Count > 0 ? quotes[random.Next(quotes.Count)] + 1 : random.Next(header.Count + 1);
        if (random.Next(2) == 0)
        {
            var bytes = InvalidUtf8[random.Next(InvalidUtf8.Length)];
            header.InsertRange(at, bytes);
            return $"invalid UTF-8 {Convert.ToHexString(bytes)} at header[{at}]";
        }
        var text = Utf8Insertions[random.Next(Utf8Insertions.Length)];
        header.InsertRange(at, Encoding.UTF8.GetBytes(text));
        return $"'{text}' at header[{at}]";
    }

    private static string MutateData(Random random, List<byte> data)
    {
        switch (random.Next(3))
        {
            case 0 when data.Count > 0:
            {
                int n = random.Next(1, Math.Min(64, data.Count) + 1);
                data.RemoveRange(data.Count - n, n);
                return $"data: last {n} bytes cut";
            }
            case 1:
            {
                int n = random.Next(1, 64);
                data.AddRange(new byte[n]);
                return $"data: {n} bytes appended";
            }
            default:
                if (data.Count == 0) return "data: empty, unchanged";
                int at = random.Next(data.Count);
                data[at] = (byte)random.Next(256);
                return $"data[{at}] replaced";
        }
    }

    private static ulong MutateLength(Random random, int headerLength, int dataLength, List<string> steps)
    {
        ulong[] choices = [0, 1, 7, 8, (ulong)headerLength - 1, (ulong)headerLength + 1, (ulong)(headerLength + dataLength),
            (ulong)(headerLength + dataLength) + 1, int.MaxValue, (ulong)int.MaxValue + 1, long.MaxValue, ulong.MaxValue,
            (ulong)random.NextInt64()];
        ulong length = choices[random.Next(choices.Length)];
        steps.Add($"length prefix = {length} (header is {headerLength} bytes)");
        return length;
    }

    /// <summary>A key as it appears between quotes in JSON.</summary>
    private static string JsonEscape(string key) => JsonValue.Create(key).ToJsonString()[1..^1];
}
