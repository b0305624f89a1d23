using Microsoft.Extensions.Logging.Abstractions;
using OrleansSpotify.Storage.Quota;

namespace OrleansSpotify.Storage.Tests.Quota;

/// <summary>The governor's call counts in SQLite: per day (added up), per minute for the window (Web API calls only), pruned after 8 days.</summary>
public sealed class SpotifyCallStoreTests
{
    private static readonly DateTimeOffset T0 = TestDatabase.T0;

    [Fact]
    public void CountsAddUpPerDayAndPerMinuteAndSurviveReopening()
    {
        using var db = new TestDatabase();
        var store = new SpotifyCallStore(db.Database);
        store.Add(
            [
                new SpotifyCallTally(T0, "acc-1", "currently-playing", "ok", 3, true),
                new SpotifyCallTally(T0, "acc-1", "token", "ok", 1, false),
                new SpotifyCallTally(T0.AddMinutes(1), "acc-2", "currently-playing", "no-content", 2, true),
            ],
            T0);
        store.Add([new SpotifyCallTally(T0, "acc-1", "currently-playing", "ok", 4, true), new SpotifyCallTally(T0.AddDays(1), "(sign-in)", "me", "ok", 1, true)], T0.AddDays(1));

        // A new connection on the same file (as after a restart) reads the same.
        var reopened = new SpotifyCallStore(new SqliteDatabase(Microsoft.Extensions.Options.Options.Create(db.Options), NullLogger<SqliteDatabase>.Instance));
        var day = DateOnly.FromDateTime(T0.UtcDateTime);
        Assert.Equal(
            [
                new SpotifyCallDayRow(day, "acc-1", "currently-playing", "ok", 7),
                new SpotifyCallDayRow(day, "acc-1", "token", "ok", 1),
                new SpotifyCallDayRow(day, "acc-2", "currently-playing", "no-content", 2),
            ],
            reopened.Days(day, day));
        Assert.Equal(4, reopened.Days(day, day.AddDays(1)).Count);
        Assert.Empty(reopened.Days(day.AddDays(2), day.AddDays(9)));

        // Minutes hold the Web API calls only (the token call is not in them).
        Assert.Equal([(T0, 7), (T0.AddMinutes(1), 2), (T0.AddDays(1), 1)], reopened.Minutes(T0.AddDays(-1)));
        Assert.Equal([(T0.AddDays(1), 1)], reopened.Minutes(T0.AddMinutes(2)));
    }

    [Fact]
    public void MinutesOlderThanEightDaysArePrunedAndDaysAreKept()
    {
        using var db = new TestDatabase();
        var store = new SpotifyCallStore(db.Database);
        store.Add([new SpotifyCallTally(T0, "acc-1", "search", "ok", 1, true)], T0);

        store.Add([new SpotifyCallTally(T0.AddDays(8).AddMinutes(1), "acc-1", "search", "ok", 1, true)], T0.AddDays(8).AddMinutes(1));

        Assert.Equal([(T0.AddDays(8).AddMinutes(1), 1)], store.Minutes(T0.AddDays(-30)));
        Assert.Equal(2, store.Days(DateOnly.FromDateTime(T0.UtcDateTime), DateOnly.FromDateTime(T0.AddDays(8).UtcDateTime)).Sum(r => r.Count));
    }
}
