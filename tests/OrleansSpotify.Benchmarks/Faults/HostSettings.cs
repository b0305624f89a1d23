using System.Globalization;

namespace OrleansSpotify.Benchmarks.Faults;

/// <summary>
/// The Host's timing settings for a clock running <c>speed</c> times faster than real time: each default divided by
/// the speed, but never below a floor that keeps a loaded 2-core machine from spinning (the Host polls on its own,
/// real clock). The waits Spotify asks for (Retry-After) are capped on the fake's side instead.
/// </summary>
public sealed class HostSettings
{
    private static readonly Setting[] Scaled =
    [
        new("Polling__ActiveInterval", TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(250)),
        new("Polling__IdleMinInterval", TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(250)),
        new("Polling__IdleMaxInterval", TimeSpan.FromMinutes(2), TimeSpan.FromSeconds(1)),
        new("Polling__HistoryIntervalWhileActive", TimeSpan.FromMinutes(3), TimeSpan.FromMilliseconds(500)),
        new("Polling__HistoryIntervalWhileIdle", TimeSpan.FromMinutes(30), TimeSpan.FromSeconds(2)),
        new("Polling__FailureBackoffMin", TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(250)),
        new("Polling__FailureBackoffMax", TimeSpan.FromMinutes(15), TimeSpan.FromSeconds(2)),
        new("Spotify__RetryBaseDelay", TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(50)),
        new("Spotify__AttemptTimeout", TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(1)),
        new("Spotify__DefaultRetryAfter", TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(1)),
        new("Spotify__QuotaExceededPause", TimeSpan.FromHours(1), TimeSpan.FromSeconds(5)),
    ];

    private HostSettings(IReadOnlyList<(string Key, TimeSpan Value, TimeSpan Default)> values) => Values = values;

    public IReadOnlyList<(string Key, TimeSpan Value, TimeSpan Default)> Values { get; }

    public TimeSpan DefaultRetryAfter => Get("Spotify__DefaultRetryAfter");

    public TimeSpan QuotaExceededPause => Get("Spotify__QuotaExceededPause");

    public TimeSpan AttemptTimeout => Get("Spotify__AttemptTimeout");

    public static HostSettings For(double speed) => new(
        [.. Scaled.Select(s => (s.Key, Max(s.Floor, s.Default / speed), s.Default))]);

    /// <summary>The settings as environment variables (<c>Section__Key</c>, c-format TimeSpans).</summary>
    public IEnumerable<KeyValuePair<string, string>> Environment() =>
        Values.Select(v => KeyValuePair.Create(v.Key, v.Value.ToString("c", CultureInfo.InvariantCulture)));

    private TimeSpan Get(string key) => Values.Single(v => v.Key == key).Value;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private sealed record Setting(string Key, TimeSpan Default, TimeSpan Floor);
}
