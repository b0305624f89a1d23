using System.Text.Json.Serialization;

namespace OrleansSpotify.Spotify.Json;

/// <summary><c>POST /api/token</c> (200): <c>{"access_token","token_type":"Bearer","scope","expires_in","refresh_token"?}</c>.</summary>
internal sealed class TokenResponseDto
{
    public string? AccessToken { get; init; }

    public string? Scope { get; init; }

    [JsonConverter(typeof(LenientInt64Converter))]
    public long? ExpiresIn { get; init; }

    public string? RefreshToken { get; init; }
}
