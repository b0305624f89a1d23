using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Polly.Timeout;

namespace OrleansSpotify.Spotify.Http;

/// <summary>Sending and body handling shared by the two typed clients.</summary>
internal static class SpotifyHttp
{
    /// <summary>
    /// Sends through the client's pipeline and reads the whole body. Connection failures, attempt timeouts (after the
    /// pipeline's retries) and <see cref="HttpClient.Timeout"/> become <see cref="SpotifyTransientException"/>;
    /// the caller's own cancellation stays an <see cref="OperationCanceledException"/>.
    /// </summary>
    public static async Task<(HttpResponseMessage Response, byte[] Body)> SendAsync(
        HttpClient httpClient, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpResponseMessage? response = null;
        try
        {
            response = await httpClient.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            return (response, body);
        }
        catch (Exception ex) when (ToTransient(ex, cancellationToken) is { } transient)
        {
            response?.Dispose();
            throw transient;
        }
    }

    /// <summary>True for 204 and for an empty (or whitespace-only) body.</summary>
    public static bool IsEmpty(HttpResponseMessage response, ReadOnlySpan<byte> body) =>
        response.StatusCode == System.Net.HttpStatusCode.NoContent || body.Trim(" \t\r\n"u8).IsEmpty;

    /// <summary>Deserializes a 2xx body; malformed JSON becomes <see cref="SpotifyTransientException"/>.</summary>
    public static T Deserialize<T>(ReadOnlySpan<byte> body, JsonTypeInfo<T> typeInfo, string what)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize(body, typeInfo) ?? throw SpotifyErrors.Malformed(what);
        }
        catch (JsonException ex)
        {
            throw SpotifyErrors.Malformed(what, ex);
        }
    }

    private static SpotifyTransientException? ToTransient(Exception exception, CancellationToken cancellationToken) => exception switch
    {
        HttpRequestException ex => new SpotifyTransientException($"Could not reach Spotify: {ex.Message}", (int?)ex.StatusCode, ex),
        TimeoutRejectedException ex => new SpotifyTransientException("Spotify did not answer in time.", innerException: ex),
        OperationCanceledException ex when !cancellationToken.IsCancellationRequested =>
            new SpotifyTransientException("Spotify did not answer in time.", innerException: ex),
        _ => null,
    };
}
