using OrleansSpotify.Abstractions;

namespace OrleansSpotify.Storage.Tests.Stats;

/// <summary>Field-by-field comparisons of the wire records (their lists and arrays have no value equality).</summary>
internal static class StatsAssert
{
    public static void Equal(SummaryStats expected, SummaryStats actual) => Assert.Equal(expected, actual);

    public static void Equal(TopList expected, TopList actual)
    {
        Assert.Equal(expected.Kind, actual.Kind);
        Assert.Equal(expected.By, actual.By);
        Assert.Equal(expected.PreviousFrom, actual.PreviousFrom);
        Assert.Equal(expected.PreviousTo, actual.PreviousTo);
        Assert.Equal(expected.Items.Select(TopRow.Of), actual.Items.Select(TopRow.Of));
    }

    public static void Equal(Heatmap expected, Heatmap actual)
    {
        Assert.Equal(7, actual.Plays.Length);
        Assert.Equal(7, actual.Ms.Length);
        for (var weekday = 0; weekday < 7; weekday++)
        {
            Assert.Equal(expected.Plays[weekday], actual.Plays[weekday]);
            Assert.Equal(expected.Ms[weekday], actual.Ms[weekday]);
        }
    }

    public static void Equal(Timeline expected, Timeline actual)
    {
        Assert.Equal(expected.Bucket, actual.Bucket);
        Assert.Equal(expected.Points, actual.Points);
    }

    public static void Equal(StreakStats expected, StreakStats actual)
    {
        Assert.Equal(expected.Current, actual.Current);
        Assert.Equal(expected.Longest, actual.Longest);
        Assert.Equal(expected.CalendarYear, actual.CalendarYear);
        Assert.Equal(expected.Calendar, actual.Calendar);
    }

    public static void Equal(Discoveries expected, Discoveries actual)
    {
        Assert.Equal(expected.TrackCount, actual.TrackCount);
        Assert.Equal(expected.ArtistCount, actual.ArtistCount);
        Assert.Equal(expected.Tracks.Select(DiscoveryRow.Of), actual.Tracks.Select(DiscoveryRow.Of));
        Assert.Equal(expected.Artists.Select(DiscoveryRow.Of), actual.Artists.Select(DiscoveryRow.Of));
    }

    public static void Equal(SessionStats expected, SessionStats actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        Assert.Equal(expected.AverageMs, actual.AverageMs);
        Assert.Equal(expected.GapMinutes, actual.GapMinutes);
        Assert.Equal(expected.Longest, actual.Longest);
    }

    public static void Equal(YearReview expected, YearReview actual)
    {
        Assert.Equal(expected.Year, actual.Year);
        Equal(expected.Summary, actual.Summary);
        Equal(expected.TopTracks, actual.TopTracks);
        Equal(expected.TopArtists, actual.TopArtists);
        Equal(expected.TopAlbums, actual.TopAlbums);
        Assert.Equal(expected.BusiestDay, actual.BusiestDay);
        Assert.Equal(expected.LongestStreak, actual.LongestStreak);
        Equal(expected.Discoveries, actual.Discoveries);
    }

    /// <summary>What a ranked entry must agree on: rank, catalogue name and id, plays, times and previous rank.</summary>
    private readonly record struct TopRow(int Rank, string? SpotifyId, string Name, long Plays, ListeningTime Time, int? PreviousRank)
    {
        public static TopRow Of(TopEntry entry) => new(entry.Rank, entry.SpotifyId, entry.Name, entry.Plays, entry.Time, entry.PreviousRank);
    }

    private readonly record struct DiscoveryRow(string? SpotifyId, string Name, DateTimeOffset FirstPlayed, long PlaysInPeriod)
    {
        public static DiscoveryRow Of(Discovery discovery) => new(discovery.SpotifyId, discovery.Name, discovery.FirstPlayed, discovery.PlaysInPeriod);
    }
}
