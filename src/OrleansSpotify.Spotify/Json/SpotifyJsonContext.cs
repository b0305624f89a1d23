using System.Text.Json.Serialization;

namespace OrleansSpotify.Spotify.Json;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    PropertyNameCaseInsensitive = true,
    NumberHandling = JsonNumberHandling.AllowReadingFromString,
    GenerationMode = JsonSourceGenerationMode.Metadata)]
[JsonSerializable(typeof(TokenResponseDto))]
[JsonSerializable(typeof(UserProfileDto))]
[JsonSerializable(typeof(CurrentlyPlayingDto))]
[JsonSerializable(typeof(PlayerStateDto))]
[JsonSerializable(typeof(RecentlyPlayedDto))]
[JsonSerializable(typeof(ArtistDetailsDto))]
[JsonSerializable(typeof(PlayableItemDto))]
[JsonSerializable(typeof(SearchResultDto))]
internal sealed partial class SpotifyJsonContext : JsonSerializerContext;
