using System.Collections.Generic;
using ArchDsl.Runtime;

namespace ArchDsl.Tests.Support;

/// <summary>The families generated into ArchDsl.Architectures.</summary>
public static class Zoo
{
    public static IReadOnlyList<ArchFamilyInfo> Families { get; } =
        ArchFamilyInfo.InAssembly(typeof(ArchDsl.Architectures.CasViT).Assembly);
}
