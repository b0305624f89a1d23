namespace OrleansSpotify.Spotify.Http;

/// <summary>
/// Counts every request that leaves for Spotify in <see cref="SpotifyCallLedger"/>, by account (<see cref="SpotifyCallScope"/>),
/// endpoint and outcome. The innermost handler of both clients: inside the retries (each attempt is a call) and inside
/// the rate-limit gate (a request the gate refuses is never sent, so not counted). It sees a 429 before the gate turns
/// it into an exception and reads its body (buffered: the gate reads it again) to tell <c>QUOTA_EXCEEDED</c> apart.
/// </summary>
internal sealed class SpotifyCallCountingHandler(SpotifyCallLedger ledger, TimeProvider timeProvider, bool tokenEndpoint) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var endpoint = tokenEndpoint ? SpotifyEndpoints.Token : SpotifyEndpoints.Classify(request.RequestUri);
        var account = SpotifyCallScope.Current ?? SpotifyCallScope.Unattributed;
        var sentAt = timeProvider.GetUtcNow();
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            ledger.Record(sentAt, account, endpoint, SpotifyCallOutcomes.Timeout);
            throw;
        }
        catch (HttpRequestException)
        {
            ledger.Record(sentAt, account, endpoint, SpotifyCallOutcomes.Failed);
            throw;
        }

        string outcome;
        try
        {
            outcome = await ClassifyAsync(response, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or HttpRequestException or IOException)
        {
            // The answer's body did not arrive whole: the call was still made.
            ledger.Record(sentAt, account, endpoint, ex is OperationCanceledException ? SpotifyCallOutcomes.Timeout : SpotifyCallOutcomes.Failed);
            response.Dispose();
            throw;
        }

        ledger.Record(sentAt, account, endpoint, outcome);
        return response;
    }

    private static async Task<string> ClassifyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        if (status == 429)
        {
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            return SpotifyErrorBody.TryParse(body)?.IsQuotaExceeded == true ? SpotifyCallOutcomes.QuotaExceeded : SpotifyCallOutcomes.RateLimited;
        }

        if (status is >= 200 and < 300 and not 204)
        {
            // Only the length is looked at, when known; an unknown length is counted as a body.
            return SpotifyCallOutcomes.ForStatus(response.StatusCode, response.Content.Headers.ContentLength == 0);
        }

        return SpotifyCallOutcomes.ForStatus(response.StatusCode, emptyBody: true);
    }
}
