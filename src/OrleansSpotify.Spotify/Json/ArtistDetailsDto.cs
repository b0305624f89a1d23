namespace OrleansSpotify.Spotify.Json;

/// <summary><c>GET /artists/{id}</c>: only what we keep. <c>genres</c> is deprecated in the spec and may vanish.</summary>
internal sealed class ArtistDetailsDto
{
    public string? Id { get; init; }

    public string? Name { get; init; }

    public List<string?>? Genres { get; init; }
}
