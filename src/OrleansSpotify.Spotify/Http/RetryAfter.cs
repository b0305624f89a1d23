using System.Net.Http.Headers;

namespace OrleansSpotify.Spotify.Http;

internal static class RetryAfter
{
    /// <summary>
    /// The wait a <c>Retry-After</c> header asks for: integer seconds (what Spotify sends) or an HTTP date.
    /// Null when the header is missing; never negative.
    /// </summary>
    public static TimeSpan? Parse(RetryConditionHeaderValue? header, DateTimeOffset now)
    {
        if (header?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - now;
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }
}
