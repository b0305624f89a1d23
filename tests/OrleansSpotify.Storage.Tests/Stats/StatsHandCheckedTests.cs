using OrleansSpotify.Abstractions;
using OrleansSpotify.Storage.Stats;

namespace OrleansSpotify.Storage.Tests.Stats;

/// <summary>
/// Six plays around Berlin's spring-forward (2025-03-30 02:00 -> 03:00) with every stat worked out by hand, checked
/// against the engine and against the oracle: this is what keeps the oracle itself honest.
/// </summary>
public sealed class StatsHandCheckedTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    // Tracks are numbered in the order they are first written: A = 1, B = 2, C = 3 (the rankings' last tie-break).
    private static readonly TrackInfo A = TestDatabase.Track("a", "A", "Ann");
    private static readonly TrackInfo B = TestDatabase.Track("b", "B", "Bob");
    private static readonly TrackInfo C = TestDatabase.Track("c", "C", "Ann");

    private static readonly PlayRecord[] Plays =
    [
        Reported(new DateTimeOffset(2025, 3, 29, 22, 30, 0, TimeSpan.Zero), A, 60_000),                   // Sat 23:30 (+01)
        Estimated(new DateTimeOffset(2025, 3, 30, 0, 59, 59, 999, TimeSpan.Zero), B),                        // Sun 01:59:59.999 (+01), 200 s
        Reported(new DateTimeOffset(2025, 3, 30, 1, 0, 0, TimeSpan.Zero), A, 120_000),                     // Sun 03:00 (+02)
        Estimated(new DateTimeOffset(2025, 3, 30, 22, 0, 0, TimeSpan.Zero), C),                              // Mon 2025-03-31 00:00 (+02), 200 s
        Reported(new DateTimeOffset(2025, 4, 2, 10, 0, 0, TimeSpan.Zero), B, 30_000),                      // Wed 12:00
        Reported(new DateTimeOffset(2025, 4, 3, 10, 0, 0, TimeSpan.Zero), C, 30_000),                      // Thu 12:00
    ];

    private static readonly DateTimeOffset Now = new(2025, 4, 4, 8, 0, 0, TimeSpan.Zero);   // Fri 10:00: yesterday had a play

    [Fact]
    public void EngineAndOracleGiveTheStatsWorkedOutByHand()
    {
        using var db = new TestDatabase();
        db.Accounts.Upsert("alex", "alex", "Alex", TestDatabase.T0, TestDatabase.T0);
        using (var writer = new PlayWriter(db.Database))
        {
            writer.Write([.. Plays.Select(p => new PendingPlay("alex", p))]);
        }

        var cache = new CatalogCache(db.Database);
        var engine = new StatsEngine(new PlayLogReader(db.Database).Load("alex")!, cache.Current(), cache, Berlin, Now);
        var catalogue = new OracleCatalogue(db.Database, [A, B, C]);
        var oracle = new StatsOracle(catalogue.Plays(Plays, Berlin), catalogue.Names, Berlin, Now);

        Check(new Source(engine.Summary, (kind, request) => engine.Top(kind, request), engine.Heatmap, engine.Timeline, engine.Streaks, engine.Discoveries, engine.Sessions, engine.YearReview));
        Check(new Source(oracle.Summary, oracle.Top, oracle.Heatmap, oracle.Timeline, oracle.Streaks, oracle.Discoveries, oracle.Sessions, oracle.YearReview));
    }

    private static void Check(Source stats)
    {
        var all = new StatsRequest(null, null, "Europe/Berlin");
        var april = all with { From = At(2025, 3, 31, 22), To = At(2025, 4, 3, 22) };       // local [04-01, 04-04)
        var fromSunday = all with { From = At(2025, 3, 29, 23), To = At(2025, 4, 3, 22) };  // local [03-30, 04-04)

        Assert.Equal(new SummaryStats(6, new ListeningTime(640_000, 240_000, 400_000), 3, 2, 3, Plays[0].PlayedAt, Plays[5].PlayedAt, 6, 1, 106_666.667, 0), stats.Summary(all));
        Assert.Equal(new SummaryStats(2, new ListeningTime(60_000, 60_000, 0), 2, 2, 2, Plays[4].PlayedAt, Plays[5].PlayedAt, 3, 0.667, 20_000, 0), stats.Summary(april));

        // All three tracks have 2 plays; B and C also tie on time (230 s), so the id decides.
        Assert.Equal(
            [("B", 2L, 230_000L, (int?)null), ("C", 2L, 230_000L, null), ("A", 2L, 180_000L, null)],
            stats.Top(TopKind.Tracks, all).Items.Select(e => (e.Name, e.Plays, e.Time.TotalMs, e.PreviousRank)));
        Assert.Equal([("Ann", 4L, 410_000L), ("Bob", 2L, 230_000L)], stats.Top(TopKind.Artists, all).Items.Select(e => (e.Name, e.Plays, e.Time.TotalMs)));
        Assert.Equal(new ListeningTime(410_000, 210_000, 200_000), stats.Top(TopKind.Artists, all).Items[0].Time);

        // The previous period is the 3 days before: A 2 plays, B and C one each (200 s): by plays A, B, C; by time B, C, A.
        var byPlays = stats.Top(TopKind.Tracks, april);
        Assert.Equal((At(2025, 3, 28, 22), At(2025, 3, 31, 22)), (byPlays.PreviousFrom!.Value, byPlays.PreviousTo!.Value));
        Assert.Equal([(1, "B", (int?)2), (2, "C", 3)], byPlays.Items.Select(e => (e.Rank, e.Name, e.PreviousRank)));
        Assert.Equal([(1, "B", (int?)1), (2, "C", 2)], stats.Top(TopKind.Tracks, april with { By = TopOrder.Time }).Items.Select(e => (e.Rank, e.Name, e.PreviousRank)));
        Assert.Equal(["B"], stats.Top(TopKind.Tracks, april with { Limit = 1 }).Items.Select(e => e.Name));

        // Weekday 0 = Monday; the hour 02:00 of that Sunday does not exist.
        var heatmap = stats.Heatmap(all);
        var expectedPlays = new long[7][];
        var expectedMs = new long[7][];
        for (var day = 0; day < 7; day++)
        {
            expectedPlays[day] = new long[24];
            expectedMs[day] = new long[24];
        }

        foreach (var (day, hour, ms) in new[] { (5, 23, 60_000L), (6, 1, 200_000L), (6, 3, 120_000L), (0, 0, 200_000L), (2, 12, 30_000L), (3, 12, 30_000L) })
        {
            expectedPlays[day][hour] = 1;
            expectedMs[day][hour] = ms;
        }

        StatsAssert.Equal(new Heatmap(expectedPlays, expectedMs), heatmap);

        Assert.Equal(
            [Point(2025, 3, 29, 1, 60_000), Point(2025, 3, 30, 2, 320_000), Point(2025, 3, 31, 1, 200_000), Point(2025, 4, 1, 0, 0), Point(2025, 4, 2, 1, 30_000), Point(2025, 4, 3, 1, 30_000)],
            stats.Timeline(all).Points);
        Assert.Equal([Point(2025, 3, 24, 3, 380_000), Point(2025, 3, 31, 3, 260_000)], stats.Timeline(all with { Bucket = TimelineBucket.Week }).Points);
        Assert.Equal([Point(2025, 3, 1, 4, 580_000), Point(2025, 4, 1, 2, 60_000)], stats.Timeline(all with { Bucket = TimelineBucket.Month }).Points);

        var streaks = stats.Streaks(all);
        Assert.Equal(new Streak(new DateOnly(2025, 4, 2), new DateOnly(2025, 4, 3), 2), streaks.Current);
        Assert.Equal(new Streak(new DateOnly(2025, 3, 29), new DateOnly(2025, 3, 31), 3), streaks.Longest);
        Assert.Equal(2025, streaks.CalendarYear);
        Assert.Equal(365, streaks.Calendar.Count);
        Assert.Equal(new DayCount(new DateOnly(2025, 3, 30), 2, 320_000), streaks.Calendar[88]);
        Assert.Equal(6, streaks.Calendar.Sum(d => d.Plays));
        Assert.Equal(new Streak(new DateOnly(2025, 3, 30), new DateOnly(2025, 3, 31), 2), stats.Streaks(fromSunday).Longest);   // two 2-day runs: the earlier

        // A was first played on Saturday; B and C are new, tie on plays (2 each) and go by first play.
        var discoveries = stats.Discoveries(fromSunday);
        Assert.Equal((2, 1), (discoveries.TrackCount, discoveries.ArtistCount));
        Assert.Equal([("b", "B", Plays[1].PlayedAt, 2L), ("c", "C", Plays[3].PlayedAt, 2L)], discoveries.Tracks.Select(d => (d.SpotifyId, d.Name, d.FirstPlayed, d.PlaysInPeriod)));
        Assert.Equal([("Bob", Plays[1].PlayedAt, 2L)], discoveries.Artists.Select(d => (d.Name, d.FirstPlayed, d.PlaysInPeriod)));
        Assert.Equal(0, stats.Discoveries(april).TrackCount);

        // B (200 s, estimated) started 00:56:39.999 UTC and A (120 s) at 00:58: one session of 200.001 s.
        var sessions = stats.Sessions(all);
        Assert.Equal((5, 104_000L), (sessions.Count, sessions.AverageMs));   // (60 + 200.001 + 200 + 30 + 30) s / 5, truncated
        Assert.Equal(
            [
                new ListeningSession(Plays[1].PlayedAt.AddMilliseconds(-200_000), Plays[2].PlayedAt, 2, 320_000),
                new ListeningSession(Plays[3].PlayedAt.AddMilliseconds(-200_000), Plays[3].PlayedAt, 1, 200_000),
                new ListeningSession(Plays[0].PlayedAt.AddMilliseconds(-60_000), Plays[0].PlayedAt, 1, 60_000),
                new ListeningSession(Plays[4].PlayedAt.AddMilliseconds(-30_000), Plays[4].PlayedAt, 1, 30_000),
            ],
            stats.Sessions(all with { Limit = 4 }).Longest);

        // With a day's gap: Sat 23:29 to Mon 00:00 (4 plays, 23.5 h) and Wed 11:59:30 to Thu 12:00 (2 plays, 24 h 30 s).
        Assert.Equal([2, 4], stats.Sessions(all with { SessionGapMinutes = 24 * 60 }).Longest.Select(s => s.Plays));

        var review = stats.YearReview(2025, all);
        Assert.Equal(new DayCount(new DateOnly(2025, 3, 30), 2, 320_000), review.BusiestDay);
        Assert.Equal(new Streak(new DateOnly(2025, 3, 29), new DateOnly(2025, 3, 31), 3), review.LongestStreak);
        Assert.Equal(94, review.Summary.Days);   // 1 January to "now", 4 April: the days of 2025 that have begun
        Assert.Equal(3, review.Discoveries.TrackCount);
        // The previous period is the 365 days before, which after a leap year starts on 2024-01-02 (local).
        Assert.Equal((At(2024, 1, 1, 23), At(2024, 12, 31, 23)), (review.TopTracks.PreviousFrom!.Value, review.TopTracks.PreviousTo!.Value));
    }

    /// <summary>A gap of exactly the threshold (start of one play minus end of the last) keeps the session going.</summary>
    [Fact]
    public void AGapOfExactlyTheThresholdKeepsTheSession()
    {
        var at = new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);
        PlayRecord[] plays =
        [
            Reported(at, A, 60_000),
            Reported(at.AddMinutes(21), B, 60_000),                        // starts 20 min after the first ended
            Reported(at.AddMinutes(42).AddMilliseconds(1), C, 60_000),     // starts 20 min 1 ms after the second ended
        ];
        using var db = new TestDatabase();
        db.Accounts.Upsert("alex", "alex", "Alex", TestDatabase.T0, TestDatabase.T0);
        using (var writer = new PlayWriter(db.Database))
        {
            writer.Write([.. plays.Select(p => new PendingPlay("alex", p))]);
        }

        var cache = new CatalogCache(db.Database);
        var engine = new StatsEngine(new PlayLogReader(db.Database).Load("alex")!, cache.Current(), cache, TimeZoneInfo.Utc, at);
        var catalogue = new OracleCatalogue(db.Database, [A, B, C]);
        var oracle = new StatsOracle(catalogue.Plays(plays, TimeZoneInfo.Utc), catalogue.Names, TimeZoneInfo.Utc, at);
        var request = new StatsRequest(null, null, "UTC");
        SessionStats expected = new(2, (1_320_000 + 60_000) / 2, 20, [new(at.AddMinutes(-1), at.AddMinutes(21), 2, 120_000), new(plays[2].PlayedAt.AddMinutes(-1), plays[2].PlayedAt, 1, 60_000)]);

        StatsAssert.Equal(expected, engine.Sessions(request));
        StatsAssert.Equal(expected, oracle.Sessions(request));
    }

    private static DateTimeOffset At(int year, int month, int day, int hour) => new(year, month, day, hour, 0, 0, TimeSpan.Zero);

    private static TimelinePoint Point(int year, int month, int day, long plays, long ms) => new(new DateOnly(year, month, day), plays, ms);

    private static PlayRecord Reported(DateTimeOffset at, TrackInfo track, long ms) => new(at, track, ms, null, null, PlaySource.ImportExtendedHistory);

    private static PlayRecord Estimated(DateTimeOffset at, TrackInfo track) => new(at, track, null, null, null, PlaySource.RecentlyPlayed);

    /// <summary>The stats of the engine or of the oracle, so that one set of expectations checks both.</summary>
    private sealed record Source(
        Func<StatsRequest, SummaryStats> Summary,
        Func<TopKind, StatsRequest, TopList> Top,
        Func<StatsRequest, Heatmap> Heatmap,
        Func<StatsRequest, Timeline> Timeline,
        Func<StatsRequest, StreakStats> Streaks,
        Func<StatsRequest, Discoveries> Discoveries,
        Func<StatsRequest, SessionStats> Sessions,
        Func<int, StatsRequest, YearReview> YearReview);
}
