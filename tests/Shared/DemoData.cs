using Microsoft.Extensions.DependencyInjection;
using OrleansSpotify.Host.Demo;

namespace OrleansSpotify.Testing;

/// <summary>
/// Every test host that starts the demo waits, before the test body runs, until the demo's months of imported history
/// are all in (<c>/api/info</c>'s <c>demoDataComplete</c>): stats read while the import still writes would differ
/// between two reads.
/// </summary>
internal static class DemoData
{
    /// <summary>A failure bound only: on a loaded 2-core machine the import takes seconds.</summary>
    public static readonly TimeSpan ImportTimeout = TimeSpan.FromMinutes(3);

    /// <summary>Waits for the demo import's completion signal; returns at once outside demo mode.</summary>
    public static void WaitForImport(IServiceProvider services)
    {
        if (services.GetService<DemoDataStatus>() is not { } status)
        {
            return;
        }

        // The factories' CreateHost is synchronous; the import runs on the thread pool, so blocking here is safe.
        if (!status.Completed.Wait(ImportTimeout))
        {
            throw new TimeoutException($"The demo's history import did not complete within {ImportTimeout} (see the log for 'Demo: ... failed').");
        }
    }
}
