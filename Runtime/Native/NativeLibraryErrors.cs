using System;
using System.Reflection;
using System.Runtime.InteropServices;

namespace ArchDsl.Runtime.Native;

/// <summary>Loads the native shim the usual way and, when that fails, says what is missing. The shim ships in the
/// ArchDsl package (runtimes/linux-x64/native); libtorch, which it links against, comes from the system.</summary>
internal static class NativeLibraryErrors
{
    public const string InstallLibtorch = "sudo apt-get install libtorch-dev";

    public static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != NativeMethods.Library) return IntPtr.Zero;
        try
        {
            return NativeLibrary.Load(name, assembly, searchPath);
        }
        catch (DllNotFoundException e)
        {
            throw new DllNotFoundException(Explain(e.Message), e);
        }
    }

    /// <summary>The loader's message with what to do: install libtorch when one of its libraries is what failed to load.</summary>
    public static string Explain(string loaderMessage)
    {
        bool libtorchMissing = loaderMessage.Contains("libtorch", StringComparison.Ordinal)
            || loaderMessage.Contains("libc10", StringComparison.Ordinal);
        return libtorchMissing
            ? $"libtorch 1.13, which ArchDsl's native shim runs on, is not installed: on Debian 12 or Ubuntu run `{InstallLibtorch}`. The loader said: {loaderMessage}"
            : $"ArchDsl's native shim (lib{NativeMethods.Library}.so, linux-x64) could not be loaded; it needs libtorch 1.13 (on Debian 12 or Ubuntu `{InstallLibtorch}`). The loader said: {loaderMessage}";
    }
}
