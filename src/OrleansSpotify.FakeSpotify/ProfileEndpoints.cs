using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace OrleansSpotify.FakeSpotify;

/// <summary>
/// <c>GET /v1/me</c>, the single-item catalog endpoints still open to Dev Mode apps, the batch endpoints removed
/// in February 2026 (403) and Spotify's 404 for unknown Web API paths.
/// </summary>
internal sealed class ProfileEndpoints(FakeSpotifyState state, ApiAuthenticator authenticator)
{
    private static readonly string[] RemovedBatchEndpoints =
        ["/v1/artists", "/v1/tracks", "/v1/albums", "/v1/episodes", "/v1/shows", "/v1/audiobooks", "/v1/chapters"];

    public static void Map(IEndpointRouteBuilder routes, FakeSpotifyState state, ApiAuthenticator authenticator)
    {
        var endpoints = new ProfileEndpoints(state, authenticator);
        routes.MapGet("/v1/me", endpoints.MeAsync).WithMetadata(FakeRoute.Api("me", FakeEndpoint.Me));
        routes.MapGet("/v1/artists/{id}", endpoints.ArtistAsync).WithMetadata(FakeRoute.Api("artist", FakeEndpoint.Artist));
        routes.MapGet("/v1/tracks/{id}", endpoints.TrackAsync).WithMetadata(FakeRoute.Api("track", FakeEndpoint.Track));
        routes.MapGet("/v1/search", new SearchEndpoint(state, authenticator).SearchAsync).WithMetadata(FakeRoute.Api("search", FakeEndpoint.Search));
        foreach (var path in RemovedBatchEndpoints)
        {
            routes.MapGet(path, endpoints.RemovedAsync).WithMetadata(FakeRoute.Api("batch"));
        }

        routes.MapFallback("/v1/{**rest}", NotFoundAsync).WithMetadata(FakeRoute.Api("unknown"));
    }

    private async Task MeAsync(HttpContext context)
    {
        if (await authenticator.AuthenticateAsync(context, []) is not { } user)
        {
            return;
        }

        await SpotifyResponses.JsonAsync(context, StatusCodes.Status200OK, state.Json.User(user));
    }

    private async Task ArtistAsync(HttpContext context)
    {
        if (await authenticator.AuthenticateAsync(context, []) is null)
        {
            return;
        }

        var id = (string)context.Request.RouteValues["id"]!;
        if (state.FindArtist(id) is not { } known)
        {
            await SpotifyResponses.ApiErrorAsync(context, StatusCodes.Status404NotFound, SpotifyMessages.ResourceNotFound);
            return;
        }

        await SpotifyResponses.JsonAsync(context, StatusCodes.Status200OK, state.Json.Artist(known.Artist, known.Genres));
    }

    private async Task TrackAsync(HttpContext context)
    {
        if (await authenticator.AuthenticateAsync(context, []) is null)
        {
            return;
        }

        var id = (string)context.Request.RouteValues["id"]!;
        if (state.FindTrack(id) is not { } track)
        {
            await SpotifyResponses.ApiErrorAsync(context, StatusCodes.Status404NotFound, SpotifyMessages.ResourceNotFound);
            return;
        }

        await SpotifyResponses.JsonAsync(context, StatusCodes.Status200OK, state.Json.Track(track));
    }

    /// <summary>Get Several Artists/Tracks/… : removed for Dev Mode apps in February 2026 (SPOTIFY.md §6.6).</summary>
    private async Task RemovedAsync(HttpContext context)
    {
        if (await authenticator.AuthenticateAsync(context, []) is null)
        {
            return;
        }

        await SpotifyResponses.ApiErrorAsync(context, StatusCodes.Status403Forbidden, SpotifyMessages.Forbidden);
    }

    private static Task NotFoundAsync(HttpContext context) =>
        SpotifyResponses.ApiErrorAsync(context, StatusCodes.Status404NotFound, SpotifyMessages.ServiceNotFound);
}
