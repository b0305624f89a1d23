using System.Net.Http.Headers;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using OrleansSpotify.Spotify.Http;
using OrleansSpotify.Spotify.Json;
using OrleansSpotify.Spotify.Logging;
using OrleansSpotify.Spotify.Models;

namespace OrleansSpotify.Spotify;

/// <summary>
/// Typed client for the Web API (<see cref="SpotifyOptions.ApiBaseUrl"/>, ending in <c>v1/</c>). Paths are relative.
/// The rate-limit gate and the retry/timeout pipeline live in the HttpClient's handlers (see
/// <see cref="SpotifyServiceCollectionExtensions.AddSpotifyClient(Microsoft.Extensions.DependencyInjection.IServiceCollection, Action{SpotifyOptions}?)"/>).
/// </summary>
public sealed class SpotifyApiClient(HttpClient httpClient, TimeProvider timeProvider, ILogger<SpotifyApiClient> logger)
    : ISpotifyApiClient
{
    public const int MaxRecentlyPlayedLimit = 50;

    /// <summary>The largest <c>limit</c> of <c>GET /search</c> for a development-mode app since February 2026 (it was 50).</summary>
    public const int MaxSearchLimit = 10;

    private const string MePath = "me";
    private const string CurrentlyPlayingPath = "me/player/currently-playing?additional_types=episode";
    private const string PlayerPath = "me/player?additional_types=episode";
    private const string RecentlyPlayedPath = "me/player/recently-played?limit=";

    public async Task<SpotifyUserProfile> GetMeAsync(string accessToken, CancellationToken cancellationToken = default)
    {
        var profile = await GetAsync(MePath, accessToken, SpotifyJsonContext.Default.UserProfileDto, "profile", cancellationToken)
            .ConfigureAwait(false);
        if (string.IsNullOrEmpty(profile?.Id))
        {
            throw SpotifyErrors.Malformed("profile");
        }

        return new SpotifyUserProfile(profile.Id, string.IsNullOrEmpty(profile.AccountId) ? null : profile.AccountId, profile.DisplayName);
    }

    public async Task<CurrentlyPlaying?> GetCurrentlyPlayingAsync(string accessToken, CancellationToken cancellationToken = default)
    {
        var dto = await GetAsync(CurrentlyPlayingPath, accessToken, SpotifyJsonContext.Default.CurrentlyPlayingDto, "currently-playing", cancellationToken)
            .ConfigureAwait(false);
        return dto is null ? null : PlayerMapper.ToCurrentlyPlaying(dto);
    }

    public async Task<PlayerState?> GetPlaybackStateAsync(string accessToken, CancellationToken cancellationToken = default)
    {
        var dto = await GetAsync(PlayerPath, accessToken, SpotifyJsonContext.Default.PlayerStateDto, "player", cancellationToken)
            .ConfigureAwait(false);
        return dto is null ? null : PlayerMapper.ToPlayerState(dto);
    }

    public async Task<RecentlyPlayedPage> GetRecentlyPlayedAsync(string accessToken, int limit = MaxRecentlyPlayedLimit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxRecentlyPlayedLimit);

        var path = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{RecentlyPlayedPath}{limit}");
        var dto = await GetAsync(path, accessToken, SpotifyJsonContext.Default.RecentlyPlayedDto, "recently-played", cancellationToken)
            .ConfigureAwait(false) ?? throw SpotifyErrors.Malformed("recently-played");

        var page = PlayerMapper.ToRecentlyPlayedPage(dto, out var skipped);
        if (skipped > 0)
        {
            SpotifyLog.SkippedHistoryEntries(logger, skipped);
        }

        return page;
    }

    public async Task<SpotifyArtistDetails> GetArtistAsync(string accessToken, string artistId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(artistId);
        var dto = await GetAsync("artists/" + Uri.EscapeDataString(artistId), accessToken, SpotifyJsonContext.Default.ArtistDetailsDto, "artist", cancellationToken)
            .ConfigureAwait(false);
        if (string.IsNullOrEmpty(dto?.Id))
        {
            throw SpotifyErrors.Malformed("artist");
        }

        IReadOnlyList<string>? genres = dto.Genres?.Where(g => !string.IsNullOrWhiteSpace(g)).Select(g => g!.Trim()).ToList();
        return new SpotifyArtistDetails(dto.Id, dto.Name ?? dto.Id, genres);
    }

    public async Task<SpotifyPlayableItem> GetTrackAsync(string accessToken, string trackId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(trackId);
        var dto = await GetAsync("tracks/" + Uri.EscapeDataString(trackId), accessToken, SpotifyJsonContext.Default.PlayableItemDto, "track", cancellationToken)
            .ConfigureAwait(false);
        if (string.IsNullOrEmpty(dto?.Id))
        {
            throw SpotifyErrors.Malformed("track");
        }

        return PlayerMapper.ToPlayableItem(dto);
    }

    public async Task<IReadOnlyList<SpotifyPlayableItem>> SearchTracksAsync(string accessToken, string query, int limit = 5, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxSearchLimit);

        var path = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"search?type=track&limit={limit}&q={Uri.EscapeDataString(query)}");
        var dto = await GetAsync(path, accessToken, SpotifyJsonContext.Default.SearchResultDto, "search", cancellationToken)
            .ConfigureAwait(false) ?? throw SpotifyErrors.Malformed("search");

        // Results without an id (none are expected) could not be looked up again: left out.
        return [.. (dto.Tracks?.Items ?? []).OfType<PlayableItemDto>().Where(i => !string.IsNullOrEmpty(i.Id)).Select(PlayerMapper.ToPlayableItem)];
    }

    /// <summary>GETs <paramref name="path"/> with the member's token; null on 204 or an empty body.</summary>
    private async Task<T?> GetAsync<T>(string path, string accessToken, JsonTypeInfo<T> typeInfo, string what, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentException.ThrowIfNullOrEmpty(accessToken);

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);

        var (response, body) = await SpotifyHttp.SendAsync(httpClient, request, cancellationToken).ConfigureAwait(false);
        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw SpotifyErrors.ForApi(response, body, timeProvider.GetUtcNow());
            }

            return SpotifyHttp.IsEmpty(response, body) ? null : SpotifyHttp.Deserialize(body, typeInfo, what);
        }
    }
}
