namespace OrleansSpotify.Spotify.Json;

/// <summary><c>GET /me</c>; Dev Mode omits country, email, product and followers.</summary>
internal sealed class UserProfileDto
{
    public string? Id { get; init; }

    public string? AccountId { get; init; }

    public string? DisplayName { get; init; }
}
