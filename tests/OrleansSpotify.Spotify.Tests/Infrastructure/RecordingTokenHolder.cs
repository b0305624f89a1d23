using System.Collections.Concurrent;

namespace OrleansSpotify.Spotify.Tests.Infrastructure;

/// <summary>Holds tokens like a member grain would, and records saves into a shared event log.</summary>
internal sealed class RecordingTokenHolder(SpotifyTokens tokens, ConcurrentQueue<string>? events = null) : ISpotifyTokenHolder
{
    public ConcurrentQueue<string> Events { get; } = events ?? new ConcurrentQueue<string>();

    public List<SpotifyTokens> Saved { get; } = [];

    public SpotifyTokens Tokens { get; set; } = tokens;

    public Task SaveTokensAsync(SpotifyTokens tokens, CancellationToken cancellationToken)
    {
        Tokens = tokens;
        Saved.Add(tokens);
        Events.Enqueue($"save:{tokens.AccessToken}:{tokens.RefreshToken}");
        return Task.CompletedTask;
    }
}
