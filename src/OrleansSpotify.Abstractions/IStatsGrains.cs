namespace OrleansSpotify.Abstractions;

/// <summary>
/// The stats both stats grains answer in the same shape: one account's (<see cref="IAccountStatsGrain"/>) or the
/// household's over its sharing members (<see cref="IHouseholdStatsGrain"/>). Callers that only need these four ask
/// either grain through this interface. Its method aliases belong to this interface (Orleans names a call by the
/// interface that declares the method), so they stay unique next to the grains' own.
/// </summary>
[Alias("OrleansSpotify.IStatsReader")]
public interface IStatsReader : IGrain
{
    [Alias("Summary")]
    Task<SummaryStats> GetSummaryAsync(StatsRequest request);

    [Alias("Top")]
    Task<TopList> GetTopAsync(TopKind kind, StatsRequest request);

    [Alias("Heatmap")]
    Task<Heatmap> GetHeatmapAsync(StatsRequest request);

    [Alias("Timeline")]
    Task<Timeline> GetTimelineAsync(StatsRequest request);
}

/// <summary>
/// The stats of one account (key: the account key): the shared <see cref="IStatsReader"/> four and the rest, computed
/// from its packed play log and cached per request. New plays invalidate the cache (<see cref="PlaysCommittedAsync"/>,
/// sent by the storage grain after a commit).
/// </summary>
[Alias("OrleansSpotify.IAccountStatsGrain")]
public interface IAccountStatsGrain : IStatsReader, IGrainWithStringKey
{
    [Alias("Streaks")]
    Task<StreakStats> GetStreaksAsync(StatsRequest request);

    [Alias("Discoveries")]
    Task<Discoveries> GetDiscoveriesAsync(StatsRequest request);

    [Alias("Sessions")]
    Task<SessionStats> GetSessionsAsync(StatsRequest request);

    [Alias("YearReview")]
    Task<YearReview> GetYearReviewAsync(int year, StatsRequest request);

    [Alias("Genres")]
    Task<GenreStats> GetGenresAsync(StatsRequest request);

    /// <summary>How many answers are cached now (for tests and diagnostics).</summary>
    [Alias("CachedAnswers")]
    Task<int> GetCachedAnswerCountAsync();

    /// <summary>New plays of this account were committed: cached answers are dropped.</summary>
    [Alias("PlaysCommitted")]
    Task PlaysCommittedAsync();
}

/// <summary>
/// The household's stats (key <see cref="Constants.HouseholdKey"/>): the shared <see cref="IStatsReader"/> four over every
/// member who shares theirs, plus the leaderboard and taste affinity between members.
/// </summary>
[Alias("OrleansSpotify.IHouseholdStatsGrain")]
public interface IHouseholdStatsGrain : IStatsReader, IGrainWithIntegerKey
{
    [Alias("Leaderboard")]
    Task<Leaderboard> GetLeaderboardAsync(StatsRequest request);

    [Alias("Affinity")]
    Task<Affinity> GetAffinityAsync(StatsRequest request);

    /// <summary>New plays or a member's sharing choice changed: cached answers are dropped.</summary>
    [Alias("Changed")]
    Task ChangedAsync();
}

[GenerateSerializer, Immutable]
[Alias("OrleansSpotify.LeaderboardEntry")]
public sealed record LeaderboardEntry(
    [property: Id(0)] int Rank,
    [property: Id(1)] string AccountId,
    [property: Id(2)] string DisplayName,
    [property: Id(3)] long Plays,
    [property: Id(4)] ListeningTime Time);

/// <summary>Members who share their stats, ranked by listening time (then plays).</summary>
[GenerateSerializer, Immutable]
[Alias("OrleansSpotify.Leaderboard")]
public sealed record Leaderboard(
    [property: Id(0)] IReadOnlyList<LeaderboardEntry> Members);

/// <summary>How much two members' top artists and top tracks overlap (Jaccard index of the top <c>limit</c>, 0–1).</summary>
[GenerateSerializer, Immutable]
[Alias("OrleansSpotify.AffinityPair")]
public sealed record AffinityPair(
    [property: Id(0)] string AccountA,
    [property: Id(1)] string AccountB,
    [property: Id(2)] double Artists,
    [property: Id(3)] double Tracks,
    [property: Id(4)] IReadOnlyList<string> SharedArtists);

[GenerateSerializer, Immutable]
[Alias("OrleansSpotify.Affinity")]
public sealed record Affinity(
    [property: Id(0)] int TopSize,
    [property: Id(1)] IReadOnlyList<AffinityPair> Pairs);
