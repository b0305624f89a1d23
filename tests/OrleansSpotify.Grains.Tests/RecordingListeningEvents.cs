using System.Collections.Concurrent;
using OrleansSpotify.Abstractions;

namespace OrleansSpotify.Grains.Tests;

/// <summary>Keeps every live event the grains announce, in order.</summary>
public sealed class RecordingListeningEvents : IListeningEvents
{
    private readonly ConcurrentQueue<object> _events = new();

    public IReadOnlyList<object> All => [.. _events];

    public IReadOnlyList<LiveState> NowPlaying(string accountKey) => [.. _events.OfType<LiveState>().Where(e => e.AccountKey == accountKey)];

    public IReadOnlyList<PlaysCommitted> Plays(string accountKey) => [.. _events.OfType<PlaysCommitted>().Where(e => e.AccountKey == accountKey)];

    public IReadOnlyList<AccountChanged> Accounts(string accountKey) => [.. _events.OfType<AccountChanged>().Where(e => e.AccountKey == accountKey)];

    public void NowPlayingChanged(LiveState state) => _events.Enqueue(state);

    public void PlaysCommitted(string accountKey, IReadOnlyList<PlayRecord> plays) => _events.Enqueue(new PlaysCommitted(accountKey, plays));

    public void AccountChanged(string accountKey) => _events.Enqueue(new AccountChanged(accountKey));

    public void ImportProgressed(ImportJobStatus status) => _events.Enqueue(status);

    public IReadOnlyList<ImportJobStatus> Imports(string jobId) => [.. _events.OfType<ImportJobStatus>().Where(e => e.JobId == jobId)];

    public void Clear() => _events.Clear();
}

public sealed record PlaysCommitted(string AccountKey, IReadOnlyList<PlayRecord> Plays);

public sealed record AccountChanged(string AccountKey);
