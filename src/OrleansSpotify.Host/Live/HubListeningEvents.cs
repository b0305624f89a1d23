using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;
using OrleansSpotify.Abstractions;
using OrleansSpotify.Grains;
using OrleansSpotify.Host.Api;
using OrleansSpotify.Storage;

namespace OrleansSpotify.Host.Live;

/// <summary>
/// The grains' live events, delivered over <see cref="ListeningHub"/>. A grain's call only queues the event (it
/// returns at once and cannot fail); a background loop maps it to the API's views and sends it: now-playing and new
/// plays to every member (a private member's only to that member: their sharing is read at each send, so a change
/// applies to the next event, with no group to leave) and to the account's share tokens (new plays only to those that
/// may show recent plays), account changes to every member (a private member's play count only to that member), an
/// import's progress only to the member who imports (never to other members or share links).
/// </summary>
public sealed partial class HubListeningEvents(
    IHubContext<ListeningHub> hub,
    ShareConnections shares,
    AccountStore accounts,
    IGrainFactory grains,
    TimeProvider time,
    ILogger<HubListeningEvents> logger) : BackgroundService, IListeningEvents
{
    /// <summary>How many undelivered events are kept; beyond it the oldest are dropped (clients re-read on reconnect).</summary>
    public const int Capacity = 4096;

    private static readonly TimeSpan AccountLookupTimeout = TimeSpan.FromSeconds(10);

    private readonly Channel<LiveEvent> _queue = Channel.CreateBounded<LiveEvent>(
        new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
        dropped => LogDropped(logger, dropped.GetType().Name));

    public void NowPlayingChanged(LiveState state) => _queue.Writer.TryWrite(new NowPlayingEvent(state));

    public void PlaysCommitted(string accountKey, IReadOnlyList<PlayRecord> plays) => _queue.Writer.TryWrite(new PlaysEvent(accountKey, plays));

    public void AccountChanged(string accountKey) => _queue.Writer.TryWrite(new AccountEvent(accountKey));

    public void ImportProgressed(ImportJobStatus status) => _queue.Writer.TryWrite(new ImportEvent(status));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var item in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                switch (item)
                {
                    case NowPlayingEvent e:
                        await SendNowPlayingAsync(e.State, stoppingToken);
                        break;
                    case PlaysEvent e:
                        await SendPlaysAsync(e.AccountKey, e.Plays, stoppingToken);
                        break;
                    case ImportEvent e:
                        await hub.Clients.Group(ListeningGroups.Member(e.Status.AccountKey))
                            .SendAsync(ListeningHub.ImportProgress, e.Status.ToView(), stoppingToken);
                        break;
                    case AccountEvent e:
                        // Asks the account's listener, which may be busy with a poll: off the loop, so it holds up nothing.
                        _ = SendAccountAsync(e.AccountKey, stoppingToken);
                        break;
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogSendFailed(logger, exception, item.GetType().Name);
            }
        }
    }

    private async Task SendNowPlayingAsync(LiveState state, CancellationToken cancellationToken)
    {
        var account = accounts.Get(state.AccountKey);
        if (account is null)
        {
            return;
        }

        var view = state.ToView(account.DisplayName);
        await hub.Clients.Group(Audience(account)).SendAsync(ListeningHub.NowPlaying, view, cancellationToken);
        foreach (var token in shares.TokensFor(state.AccountKey))
        {
            await hub.Clients.Group(ListeningGroups.Share(token.TokenId)).SendAsync(ListeningHub.NowPlaying, view, cancellationToken);
        }
    }

    private async Task SendPlaysAsync(string accountKey, IReadOnlyList<PlayRecord> plays, CancellationToken cancellationToken)
    {
        var account = accounts.Get(accountKey);
        if (account is null || plays.Count == 0)
        {
            return;
        }

        var view = new PlaysAddedView(accountKey, account.DisplayName, [.. plays.Select(p => p.ToView())]);
        await hub.Clients.Group(Audience(account)).SendAsync(ListeningHub.PlaysAdded, view, cancellationToken);
        foreach (var token in shares.TokensFor(accountKey).Where(t => t.IncludeRecent))
        {
            await hub.Clients.Group(ListeningGroups.Share(token.TokenId)).SendAsync(ListeningHub.PlaysAdded, view, cancellationToken);
        }
    }

    private async Task SendAccountAsync(string accountKey, CancellationToken cancellationToken)
    {
        try
        {
            var status = await grains.GetGrain<IListenerGrain>(accountKey).GetStatusAsync().WaitAsync(AccountLookupTimeout, cancellationToken);
            var budget = await grains.GetGrain<ISpotifyQuotaGrain>(Constants.QuotaGovernorKey).GetBudgetAsync().WaitAsync(AccountLookupTimeout, cancellationToken);
            if (accounts.Get(accountKey) is not { } account)
            {
                return;
            }

            var pause = SpotifyPauseView.From(budget, time.GetUtcNow());

            // A private member's play count goes only to them: everyone gets the redacted view, then they get theirs
            // (in that order on each connection, so their own dashboard ends on the full one).
            await hub.Clients.Group(ListeningGroups.Members)
                .SendAsync(ListeningHub.AccountChanged, account.ToView(status, showPlayCount: account.ShareStats, pause), cancellationToken);
            if (!account.ShareStats)
            {
                await hub.Clients.Group(ListeningGroups.Member(accountKey))
                    .SendAsync(ListeningHub.AccountChanged, account.ToView(status, showPlayCount: true, pause), cancellationToken);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogSendFailed(logger, exception, nameof(AccountEvent));
        }
    }

    /// <summary>The members who may hear an account's listening: all of them, or only the member when private.</summary>
    private static string Audience(StoredAccount account) =>
        account.ShareStats ? ListeningGroups.Members : ListeningGroups.Member(account.AccountKey);

    private abstract record LiveEvent;

    private sealed record NowPlayingEvent(LiveState State) : LiveEvent;

    private sealed record PlaysEvent(string AccountKey, IReadOnlyList<PlayRecord> Plays) : LiveEvent;

    private sealed record AccountEvent(string AccountKey) : LiveEvent;

    private sealed record ImportEvent(ImportJobStatus Status) : LiveEvent;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not send a live {Event} to the hub's clients")]
    private static partial void LogSendFailed(ILogger logger, Exception exception, string @event);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Live events pile up faster than they are sent: an old {Event} was dropped")]
    private static partial void LogDropped(ILogger logger, string @event);
}
