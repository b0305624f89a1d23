namespace OrleansSpotify.Spotify.Models;

/// <summary><c>GET /me</c>. <see cref="AccountId"/> (2026) is preferred over <see cref="Id"/> for linking.</summary>
public sealed record SpotifyUserProfile(string Id, string? AccountId, string? DisplayName)
{
    /// <summary>The household key: <c>account_id</c>, falling back to <c>id</c>.</summary>
    public string AccountKey => string.IsNullOrEmpty(AccountId) ? Id : AccountId;
}
