using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;

namespace OrleansSpotify.Spotify.Http;

/// <summary>Turns a non-success response into the matching <see cref="SpotifyException"/>.</summary>
internal static partial class SpotifyErrors
{
    private const string InvalidGrant = "invalid_grant";

    /// <summary>A Web API (<c>api.spotify.com</c>) failure.</summary>
    public static SpotifyException ForApi(HttpResponseMessage response, ReadOnlySpan<byte> body, DateTimeOffset now)
    {
        var status = (int)response.StatusCode;
        var error = SpotifyErrorBody.TryParse(body);
        var message = error?.Message ?? error?.Code;

        return response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => new SpotifyUnauthorizedException(
                message ?? WwwAuthenticateDescription(response.Headers.WwwAuthenticate) ?? "Spotify rejected the access token."),
            HttpStatusCode.Forbidden => new SpotifyForbiddenException(message ?? "Forbidden"),
            HttpStatusCode.TooManyRequests => RateLimited(response, error, now),
            _ => Generic(status, error?.Describe(), "Spotify Web API"),
        };
    }

    /// <summary>A token-endpoint (<c>accounts.spotify.com</c>) failure.</summary>
    public static SpotifyException ForAccounts(HttpResponseMessage response, ReadOnlySpan<byte> body, DateTimeOffset now)
    {
        var status = (int)response.StatusCode;
        var error = SpotifyErrorBody.TryParse(body);
        if (string.Equals(error?.Code, InvalidGrant, StringComparison.Ordinal))
        {
            return new SpotifyInvalidGrantException(error!.Message ?? InvalidGrant);
        }

        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            return RateLimited(response, error, now);
        }

        return Generic(status, error?.Describe(), "Spotify accounts service");
    }

    /// <summary>A 200 whose body could not be read.</summary>
    public static SpotifyTransientException Malformed(string what, Exception? inner = null) =>
        new($"Spotify sent an unreadable {what} response.", (int)HttpStatusCode.OK, inner);

    private static SpotifyException Generic(int status, string? message, string service)
    {
        var text = message is null ? $"{service} answered {status}." : $"{service} answered {status}: {message}";
        return status >= 500 || status == (int)HttpStatusCode.RequestTimeout
            ? new SpotifyTransientException(text, status)
            : new SpotifyException(text, status);
    }

    /// <summary>Only reached when no rate-limit gate is in the pipeline (the token endpoint): nothing is remembered.</summary>
    private static SpotifyRateLimitedException RateLimited(HttpResponseMessage response, SpotifyErrorBody? error, DateTimeOffset now)
    {
        var wait = RetryAfter.Parse(response.Headers.RetryAfter, now) ?? TimeSpan.Zero;
        return new SpotifyRateLimitedException(
            error?.Message ?? "Spotify rate limit exceeded.", now + wait, error?.IsQuotaExceeded ?? false, sent: true);
    }

    private static string? WwwAuthenticateDescription(HttpHeaderValueCollection<AuthenticationHeaderValue> challenges)
    {
        foreach (var challenge in challenges)
        {
            if (challenge.Parameter is { } parameter && ErrorDescription().Match(parameter) is { Success: true } match)
            {
                return match.Groups[1].Value;
            }
        }

        return null;
    }

    [GeneratedRegex("error_description=\"([^\"]*)\"", RegexOptions.CultureInvariant)]
    private static partial Regex ErrorDescription();
}
