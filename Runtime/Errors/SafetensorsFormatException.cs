using System;

namespace ArchDsl.Runtime;

/// <summary>A safetensors file that is malformed or does not fit what it is loaded into.</summary>
public sealed class SafetensorsFormatException : Exception
{
    public SafetensorsFormatException(string path, string message, Exception? inner = null)
        : base($"{path}: {message}", inner) => Path = path;

    public string Path { get; }
}
