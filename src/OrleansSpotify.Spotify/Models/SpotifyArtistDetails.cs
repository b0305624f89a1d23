namespace OrleansSpotify.Spotify.Models;

/// <summary><c>GET /artists/{id}</c>. <see cref="Genres"/> is null when Spotify sent none at all (not merely an empty list).</summary>
public sealed record SpotifyArtistDetails(string Id, string Name, IReadOnlyList<string>? Genres);
