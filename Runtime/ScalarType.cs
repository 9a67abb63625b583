namespace ArchDsl.Runtime;

/// <summary>Element types, numbered like libtorch's <c>c10::ScalarType</c> (and TorchSharp's enum).</summary>
public enum ScalarType
{
    Byte = 0,
    Int8 = 1,
    Int16 = 2,
    Int32 = 3,
    Int64 = 4,
    Float16 = 5,
    Float32 = 6,
    Float64 = 7,
    Bool = 11,
    BFloat16 = 15,
}
