namespace OrleansSpotify.Abstractions;

/// <summary>How ranked lists are ordered.</summary>
[GenerateSerializer]
[Alias("OrleansSpotify.TopOrder")]
public enum TopOrder
{
    Plays = 0,
    Time = 1,
}

[GenerateSerializer]
[Alias("OrleansSpotify.TimelineBucket")]
public enum TimelineBucket
{
    Day = 0,
    Week = 1,
    Month = 2,
}

[GenerateSerializer]
[Alias("OrleansSpotify.TopKind")]
public enum TopKind
{
    Tracks = 0,
    Artists = 1,
    Albums = 2,
}

/// <summary>
/// A resolved stats question: the instants [<see cref="From"/>, <see cref="To"/>) (null: unbounded), the IANA zone
/// days and hours are counted in, and the knobs of the individual stats. Equal requests share a cached answer.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("OrleansSpotify.StatsRequest")]
public sealed record StatsRequest(
    [property: Id(0)] DateTimeOffset? From,
    [property: Id(1)] DateTimeOffset? To,
    [property: Id(2)] string TimeZone,
    [property: Id(3)] int Limit = 10,
    [property: Id(4)] TopOrder By = TopOrder.Plays,
    [property: Id(5)] TimelineBucket Bucket = TimelineBucket.Day,
    [property: Id(6)] int? Year = null,
    [property: Id(7)] int SessionGapMinutes = 20);

/// <summary>
/// Listening time: <see cref="ReportedMs"/> where the source reported what was played (Spotify's data exports),
/// <see cref="EstimatedMs"/> where only a play is known and the track's duration stands in (recently-played).
/// </summary>
[GenerateSerializer, Immutable]
[Alias("OrleansSpotify.ListeningTime")]
public sealed record ListeningTime(
    [property: Id(0)] long TotalMs,
    [property: Id(1)] long ReportedMs,
    [property: Id(2)] long EstimatedMs);

/// <param name="Plays">Plays of at least 30 s (or of unreported length); shorter ones are <paramref name="Skips"/>.</param>
/// <param name="Skips">Plays whose source reported under 30 s of listening: counted here only, in no other stat.</param>
/// <param name="Gaps">
/// The open <see cref="HistoryGap"/>s where plays of the range may be missing (the API fills it for an account's and the
/// household's summary; null where it is not asked, as in a year review). Id 40: clear of the stats' own fields.
/// </param>
[GenerateSerializer, Immutable]
[Alias("OrleansSpotify.SummaryStats")]
public sealed record SummaryStats(
    [property: Id(0)] long Plays,
    [property: Id(1)] ListeningTime Time,
    [property: Id(2)] int DistinctTracks,
    [property: Id(3)] int DistinctArtists,
    [property: Id(4)] int DistinctAlbums,
    [property: Id(5)] DateTimeOffset? FirstPlay,
    [property: Id(6)] DateTimeOffset? LastPlay,
    [property: Id(7)] int Days,
    [property: Id(8)] double PlaysPerDay,
    [property: Id(9)] double MsPerDay,
    [property: Id(10)] long Skips,
    [property: Id(11)] long LocalFilePlays = 0,
    [property: Id(40)] IReadOnlyList<HistoryGap>? Gaps = null);

/// <param name="PreviousRank">The rank in the previous period of the same length; null when it was not played then ("new").</param>
/// <param name="Contributors">Household tops only: the members who played it in the period, most plays first (null for one account).</param>
[GenerateSerializer, Immutable]
[Alias("OrleansSpotify.TopEntry")]
public sealed record TopEntry(
    [property: Id(0)] int Rank,
    [property: Id(1)] string? SpotifyId,
    [property: Id(2)] string Name,
    [property: Id(3)] string? Subtitle,
    [property: Id(4)] string? ImageUrl,
    [property: Id(5)] long Plays,
    [property: Id(6)] ListeningTime Time,
    [property: Id(7)] int? PreviousRank,
    [property: Id(8)] IReadOnlyList<Contributor>? Contributors = null);

/// <summary>A member who played a household top entry in the period (members who keep their stats private never appear).</summary>
[GenerateSerializer, Immutable]
[Alias("OrleansSpotify.Contributor")]
public sealed record Contributor(
    [property: Id(0)] string AccountId,
    [property: Id(1)] long Plays);

[GenerateSerializer, Immutable]
[Alias("OrleansSpotify.TopList")]
public sealed record TopList(
    [property: Id(0)] TopKind Kind,
    [property: Id(1)] TopOrder By,
    [property: Id(2)] DateTimeOffset? PreviousFrom,
    [property: Id(3)] DateTimeOffset? PreviousTo,
    [property: Id(4)] IReadOnlyList<TopEntry> Items);

/// <summary>Plays and listening time by local weekday (0 = Monday) and hour of day.</summary>
[GenerateSerializer, Immutable]
[Alias("OrleansSpotify.Heatmap")]
public sealed record Heatmap(
    [property: Id(0)] long[][] Plays,
    [property: Id(1)] long[][] Ms);

/// <remarks>
/// Read through its constructor (<see cref="System.Text.Json.Serialization.JsonConstructorAttribute"/>), not a struct's parameterless one, so the
/// OpenAPI document marks every field required, as it does for the record classes.
/// </remarks>
[GenerateSerializer, Immutable]
[Alias("OrleansSpotify.TimelinePoint")]
[method: System.Text.Json.Serialization.JsonConstructor]
public readonly record struct TimelinePoint(
    [property: Id(0)] DateOnly Start,
    [property: Id(1)] long Plays,
    [property: Id(2)] long Ms);

/// <param name="Gaps">The open <see cref="HistoryGap"/>s where plays of the range may be missing (filled by the API; see <see cref="SummaryStats.Gaps"/>).</param>
[GenerateSerializer, Immutable]
[Alias("OrleansSpotify.Timeline")]
public sealed record Timeline(
    [property: Id(0)] TimelineBucket Bucket,
    [property: Id(1)] IReadOnlyList<TimelinePoint> Points,
    [property: Id(40)] IReadOnlyList<HistoryGap>? Gaps = null);

[GenerateSerializer, Immutable]
[Alias("OrleansSpotify.Streak")]
public sealed record Streak(
    [property: Id(0)] DateOnly Start,
    [property: Id(1)] DateOnly End,
    [property: Id(2)] int Days);

[GenerateSerializer, Immutable]
[Alias("OrleansSpotify.DayCount")]
public sealed record DayCount(
    [property: Id(0)] DateOnly Date,
    [property: Id(1)] long Plays,
    [property: Id(2)] long Ms);

/// <param name="Current">The run of days with a play that ends today or yesterday (local), over all time.</param>
/// <param name="Longest">The longest run within the period.</param>
/// <param name="Calendar">Every day of <paramref name="CalendarYear"/> with its plays.</param>
[GenerateSerializer, Immutable]
[Alias("OrleansSpotify.StreakStats")]
public sealed record StreakStats(
    [property: Id(0)] Streak? Current,
    [property: Id(1)] Streak? Longest,
    [property: Id(2)] int CalendarYear,
    [property: Id(3)] IReadOnlyList<DayCount> Calendar);

[GenerateSerializer, Immutable]
[Alias("OrleansSpotify.Discovery")]
public sealed record Discovery(
    [property: Id(0)] string? SpotifyId,
    [property: Id(1)] string Name,
    [property: Id(2)] string? Subtitle,
    [property: Id(3)] DateTimeOffset FirstPlayed,
    [property: Id(4)] long PlaysInPeriod);

/// <summary>Tracks and artists whose first play ever falls in the period, most played first.</summary>
[GenerateSerializer, Immutable]
[Alias("OrleansSpotify.Discoveries")]
public sealed record Discoveries(
    [property: Id(0)] int TrackCount,
    [property: Id(1)] int ArtistCount,
    [property: Id(2)] IReadOnlyList<Discovery> Tracks,
    [property: Id(3)] IReadOnlyList<Discovery> Artists);

[GenerateSerializer, Immutable]
[Alias("OrleansSpotify.ListeningSession")]
public sealed record ListeningSession(
    [property: Id(0)] DateTimeOffset Start,
    [property: Id(1)] DateTimeOffset End,
    [property: Id(2)] int Plays,
    [property: Id(3)] long Ms);

/// <summary>Sessions: plays whose gaps (end of one to start of the next) stay within <see cref="GapMinutes"/>.</summary>
[GenerateSerializer, Immutable]
[Alias("OrleansSpotify.SessionStats")]
public sealed record SessionStats(
    [property: Id(0)] int Count,
    [property: Id(1)] long AverageMs,
    [property: Id(2)] int GapMinutes,
    [property: Id(3)] IReadOnlyList<ListeningSession> Longest);

[GenerateSerializer, Immutable]
[Alias("OrleansSpotify.YearReview")]
public sealed record YearReview(
    [property: Id(0)] int Year,
    [property: Id(1)] SummaryStats Summary,
    [property: Id(2)] TopList TopTracks,
    [property: Id(3)] TopList TopArtists,
    [property: Id(4)] TopList TopAlbums,
    [property: Id(5)] DayCount? BusiestDay,
    [property: Id(6)] Streak? LongestStreak,
    [property: Id(7)] Discoveries Discoveries);

[GenerateSerializer, Immutable]
[Alias("OrleansSpotify.GenreEntry")]
public sealed record GenreEntry(
    [property: Id(0)] int Rank,
    [property: Id(1)] string Name,
    [property: Id(2)] long Plays,
    [property: Id(3)] ListeningTime Time);

/// <summary>
/// Top genres from the primary artists' Spotify genres. A play counts once for each genre of its artist. Plays whose
/// artist has no known genre (not fetched yet, or Spotify lists none) are counted as unknown, never guessed.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("OrleansSpotify.GenreStats")]
public sealed record GenreStats(
    [property: Id(0)] IReadOnlyList<GenreEntry> Items,
    [property: Id(1)] long UnknownPlays,
    [property: Id(2)] ListeningTime UnknownTime,
    [property: Id(3)] int ArtistsWithGenres,
    [property: Id(4)] int ArtistsWithoutGenres);

/// <summary>Plays of one kind beyond music: how many, how long (as the exports report it), how many shows or books.</summary>
[GenerateSerializer, Immutable]
[Alias("OrleansSpotify.KindSummary")]
public sealed record KindSummary(
    [property: Id(0)] long Plays,
    [property: Id(1)] long Ms,
    [property: Id(2)] int Collections);

/// <summary>A show (or audiobook) and its plays.</summary>
[GenerateSerializer, Immutable]
[Alias("OrleansSpotify.ShowSummary")]
public sealed record ShowSummary(
    [property: Id(0)] string Name,
    [property: Id(1)] long Plays,
    [property: Id(2)] long Ms);

/// <summary>
/// Podcast episodes and audiobook chapters (from imports): listed in history, kept out of every music stat, and
/// summarised here on their own.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("OrleansSpotify.PodcastStats")]
public sealed record PodcastStats(
    [property: Id(0)] KindSummary Episodes,
    [property: Id(1)] KindSummary Audiobooks,
    [property: Id(2)] IReadOnlyList<ShowSummary> TopShows);
