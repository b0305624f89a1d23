using System.Collections.Immutable;
using OrleansSpotify.Abstractions;

namespace OrleansSpotify.Grains;

/// <summary>
/// The persisted state of a <see cref="ListenerGrain"/>. A change to a tracked field (status, idle count, last item,
/// cursor, rate limit, failures, playing) sets <see cref="HasUnsavedChanges"/>, and the listener saves it at the end of
/// the poll; the bookkeeping fields that move on every poll (last poll, last history read, progress, poll count) ride
/// along with the next save, at least once a minute.
/// </summary>
[GenerateSerializer]
[Alias("OrleansSpotify.Grains.ListenerState")]
public sealed class ListenerState
{
    [Id(0)] public string? AccessToken { get; set; }

    [Id(1)] public DateTimeOffset AccessTokenExpiresAt { get; set; }

    [Id(2)] public string? RefreshToken { get; set; }

    [Id(3)] public string? Scope { get; set; }

    [Id(4)] public DateTimeOffset? AuthorizedAt { get; set; }

    [Id(5)] public AccountStatus Status { get; set => Track(ref field, value); } = AccountStatus.Stopped;

    [Id(6)] public string? StatusDetail { get; set => Track(ref field, value); }

    /// <summary>Consecutive polls that found nothing playing.</summary>
    [Id(7)] public int IdleCount { get; set => Track(ref field, value); }

    /// <summary>The <see cref="ItemKey"/> of the item the last poll saw playing (its URI, else name, else type).</summary>
    [Id(8)] public string? LastTrackId { get; set => Track(ref field, value); }

    /// <summary>The newest played_at whose batch is committed. Advanced only after the StorageGrain confirms.</summary>
    [Id(9)] public DateTimeOffset? Cursor { get; set => Track(ref field, value); }

    /// <summary>No Spotify call before this instant (a Retry-After seen by this listener).</summary>
    [Id(10)] public DateTimeOffset? NextAllowedCallAt { get; set => Track(ref field, value); }

    [Id(11)] public DateTimeOffset? LastSuccessfulPollAt { get; set; }

    [Id(12)] public DateTimeOffset? LastHistoryReadAt { get; set; }

    [Id(13)] public int ConsecutiveFailures { get; set => Track(ref field, value); }

    [Id(14)] public bool WasPlaying { get; set => Track(ref field, value); }

    [Id(15)] public long LastProgressMs { get; set; }

    [Id(16)] public long PollCount { get; set; }

    /// <summary>The item live capture watches (see <see cref="LivePlayCapture"/>); rides along with the next save.</summary>
    [Id(17)] public LiveSighting? LiveCurrent { get; set; }

    /// <summary>Plays live capture saw end and that are not stored yet: saved with the poll that ended them, so a restart loses none.</summary>
    [Id(18)]
    public ImmutableArray<LiveEndedPlay> LivePending { get => field.IsDefault ? [] : field; set => Track(ref field, value); }

    /// <summary>Spotify tracks live capture saw end since the last recently-played read (the planner batches reads by it).</summary>
    [Id(19)] public int PlaysEndedSinceHistory { get; set => Track(ref field, value); }

    [NonSerialized]
    private bool _unsaved;

    /// <summary>
    /// What a successful poll saw: the item playing (<paramref name="item"/>, its <see cref="ItemKey"/>) at
    /// <paramref name="progressMs"/>, or nothing playing, one more idle poll.
    /// </summary>
    public void RecordPlayback(bool playing, string? item, long progressMs)
    {
        if (playing)
        {
            IdleCount = 0;
            LastTrackId = item;
            LastProgressMs = progressMs;
        }
        else
        {
            IdleCount++;
        }

        WasPlaying = playing;
    }

    /// <summary>Moves the cursor to <paramref name="committed"/>, the newest play of a committed batch, unless it is already later.</summary>
    public void AdvanceCursor(DateTimeOffset committed)
    {
        if (Cursor is null || committed > Cursor)
        {
            Cursor = committed;
        }
    }

    /// <summary>How long a Retry-After seen by this listener still forbids calling Spotify at <paramref name="now"/>; null: it does not.</summary>
    public TimeSpan? RateLimitLeft(DateTimeOffset now) => NextAllowedCallAt is { } notBefore && notBefore > now ? notBefore - now : null;

    /// <summary>What the listener reports of itself; <paramref name="nextPollAt"/> is its timer's.</summary>
    public ListenerStatus ToStatus(DateTimeOffset? nextPollAt) => new(
        Status, StatusDetail, AuthorizedAt, LastSuccessfulPollAt, nextPollAt, IdleCount, Cursor, NextAllowedCallAt, LastTrackId, ConsecutiveFailures, PollCount);

    /// <summary>Whether a tracked field changed since <see cref="MarkSaved"/>. Not persisted (it has no <c>[Id]</c>).</summary>
    public bool HasUnsavedChanges => _unsaved;

    public void MarkSaved() => _unsaved = false;

    private void Track<T>(ref T field, T value)
    {
        if (!EqualityComparer<T>.Default.Equals(field, value))
        {
            field = value;
            _unsaved = true;
        }
    }
}
