using System;

namespace ArchDsl.Runtime;

/// <summary>Passes run for the runtime's own purposes (the inference plan's measurements) rather than the caller's: inside
/// the scope no forward hook runs, and no <see cref="OpRecorder"/> or <see cref="OpObserver"/> sees an operation.</summary>
internal sealed class QuietScope : IDisposable
{
    [ThreadStatic] private static int t_depth;

    private readonly OpRecorder.SuppressScope _recorder = OpRecorder.Suppress();
    private readonly OpObserver.SuppressScope _observer = OpObserver.Suppress();

    public QuietScope() => t_depth++;

    public static bool Active => t_depth > 0;

    public void Dispose()
    {
        t_depth--;
        _observer.Dispose();
        _recorder.Dispose();
    }
}
