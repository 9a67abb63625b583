using System;

namespace ArchDsl.Runtime;

/// <summary>A failure inside the native shim or libtorch; <see cref="Exception.Message"/> is libtorch's own message.</summary>
public sealed class TorchException : Exception
{
    public TorchException(int status, string message) : base(message) => Status = status;

    /// <summary>The shim's status code: 1 libtorch error, 2 other C++ exception, 3 unknown, 4 argument rejected by the shim.</summary>
    public int Status { get; }
}
