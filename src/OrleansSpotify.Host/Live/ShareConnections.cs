using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;

namespace OrleansSpotify.Host.Live;

/// <summary>A hub connection made with a share token.</summary>
public sealed record ShareConnection(string ConnectionId, long TokenId, string AccountKey, bool IncludeRecent, HubCallerContext Context);

/// <summary>
/// The hub connections made with share tokens: which tokens listen to an account (so events go only to them), and
/// what to cut off when a token is revoked.
/// </summary>
public sealed class ShareConnections(IHubContext<ListeningHub> hub)
{
    private readonly ConcurrentDictionary<string, ShareConnection> _connections = new(StringComparer.Ordinal);

    public void Add(ShareConnection connection) => _connections[connection.ConnectionId] = connection;

    public void Remove(string connectionId) => _connections.TryRemove(connectionId, out _);

    /// <summary>The tokens with a live connection to the account (each once).</summary>
    public IReadOnlyList<ShareConnection> TokensFor(string accountKey) =>
        [.. _connections.Values.Where(c => c.AccountKey == accountKey).DistinctBy(c => c.TokenId)];

    /// <summary>Cuts off every connection of a revoked token: out of its group, then closed. Nothing reaches it after this.</summary>
    public async Task RevokeAsync(long tokenId)
    {
        foreach (var connection in _connections.Values.Where(c => c.TokenId == tokenId).ToList())
        {
            _connections.TryRemove(connection.ConnectionId, out _);
            await hub.Groups.RemoveFromGroupAsync(connection.ConnectionId, ListeningGroups.Share(tokenId));
            connection.Context.Abort();
        }
    }
}
