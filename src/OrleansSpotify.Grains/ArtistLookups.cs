using OrleansSpotify.Abstractions;
using OrleansSpotify.Spotify;

namespace OrleansSpotify.Grains;

/// <summary>An artist's genres for the genre grain, fetched with one account's token: failures become a status, never an exception.</summary>
internal static class ArtistLookups
{
    public static async Task<ArtistLookup> LookUpAsync(SpotifyAuthorizedCaller caller, ISpotifyApiClient spotify, ISpotifyTokenHolder tokens, string spotifyArtistId)
    {
        try
        {
            var artist = await caller.CallAsync(tokens, (token, ct) => spotify.GetArtistAsync(token, spotifyArtistId, ct));
            return new ArtistLookup(ArtistLookupStatus.Found, artist.Genres, null);
        }
        catch (SpotifyException exception)
        {
            // In this order: a refused grant is a 400 too, and is reported as not found (as it always was).
            return exception switch
            {
                SpotifyRateLimitedException limited => new ArtistLookup(ArtistLookupStatus.RateLimited, null, limited.RetryAt),
                { StatusCode: 400 or 404 } => new ArtistLookup(ArtistLookupStatus.NotFound, null, null),
                SpotifyInvalidGrantException => new ArtistLookup(ArtistLookupStatus.NoToken, null, null),
                _ => new ArtistLookup(ArtistLookupStatus.Failed, null, null),
            };
        }
    }
}
