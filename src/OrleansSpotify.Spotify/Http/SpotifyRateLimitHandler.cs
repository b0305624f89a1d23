using System.Net;

namespace OrleansSpotify.Spotify.Http;

/// <summary>
/// Sits inside the resilience handler, so it sees every attempt: refuses to send while the app is rate-limited and
/// turns a 429 into <see cref="SpotifyRateLimitedException"/>, which the retry strategy does not handle — a 429 ends the call.
/// </summary>
internal sealed class SpotifyRateLimitHandler(SpotifyRateLimitGate gate, TimeProvider timeProvider) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        gate.ThrowIfClosed();

        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.TooManyRequests)
        {
            return response;
        }

        using (response)
        {
            var retryAfter = RetryAfter.Parse(response.Headers.RetryAfter, timeProvider.GetUtcNow());
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            var error = SpotifyErrorBody.TryParse(body);
            throw gate.Close(retryAfter, error?.IsQuotaExceeded ?? false, error?.Message);
        }
    }
}
