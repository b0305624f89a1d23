using System.Collections.Immutable;
using OrleansSpotify.Abstractions;
using OrleansSpotify.Spotify;

namespace OrleansSpotify.Grains;

/// <summary>A track by id, or a search by title and artist, for the metadata grain, with one account's token: failures become a status, never an exception.</summary>
internal static class TrackLookups
{
    public static Task<TrackLookup> LookUpAsync(SpotifyAuthorizedCaller caller, ISpotifyApiClient spotify, ISpotifyTokenHolder tokens, string spotifyTrackId) =>
        CallAsync(async () =>
        {
            var track = await caller.CallAsync(tokens, (token, ct) => spotify.GetTrackAsync(token, spotifyTrackId, ct));
            return track.IsTrack && !string.IsNullOrEmpty(track.Uri) && !string.IsNullOrEmpty(track.Id)
                ? new TrackLookup(TrackLookupStatus.Found, [SpotifyPlayMapper.ToTrackInfo(track)], null)
                : new TrackLookup(TrackLookupStatus.NotFound, [], null);
        });

    public static Task<TrackLookup> SearchAsync(SpotifyAuthorizedCaller caller, ISpotifyApiClient spotify, ISpotifyTokenHolder tokens, string title, string? artist, int limit) =>
        CallAsync(async () =>
        {
            var query = SpotifySearchQuery.ForTrack(title, artist);
            var found = await caller.CallAsync(tokens, (token, ct) => spotify.SearchTracksAsync(token, query, limit, ct));
            return new TrackLookup(
                TrackLookupStatus.Found,
                [.. found.Where(t => t.IsTrack && !t.IsLocal && !string.IsNullOrEmpty(t.Uri) && !string.IsNullOrEmpty(t.Id)).Select(SpotifyPlayMapper.ToTrackInfo)],
                null);
        });

    private static async Task<TrackLookup> CallAsync(Func<Task<TrackLookup>> call)
    {
        try
        {
            return await call();
        }
        catch (SpotifyException exception)
        {
            // In this order: a refused grant is a 400 too, and is reported as not found (as for artists).
            return exception switch
            {
                SpotifyRateLimitedException limited => new TrackLookup(TrackLookupStatus.RateLimited, [], limited.RetryAt),
                { StatusCode: 400 or 404 } => new TrackLookup(TrackLookupStatus.NotFound, [], null),
                SpotifyInvalidGrantException => new TrackLookup(TrackLookupStatus.NoToken, [], null),
                _ => new TrackLookup(TrackLookupStatus.Failed, [], null),
            };
        }
    }
}
