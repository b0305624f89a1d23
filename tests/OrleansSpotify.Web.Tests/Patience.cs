using Microsoft.Playwright;

namespace OrleansSpotify.Web.Tests;

/// <summary>
/// How long a browser test waits for a signal (a locator, a navigation, a hub message, a host) before it gives up. A
/// bound against hangs, not a measure of speed: generous, because the suite must pass on a loaded 2-core machine (a
/// full run took 22 min with four builds beside it, against 12 min alone). One value for every browser test.
/// </summary>
internal static class Waits
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    public static float PatienceMs => (float)Patience.TotalMilliseconds;

    static Waits() => Assertions.SetDefaultExpectTimeout(PatienceMs);

    /// <summary>A context whose actions, navigations and web-first assertions wait up to <see cref="Patience"/>.</summary>
    public static IBrowserContext Patient(IBrowserContext context)
    {
        context.SetDefaultTimeout(PatienceMs);
        context.SetDefaultNavigationTimeout(PatienceMs);
        return context;
    }
}
