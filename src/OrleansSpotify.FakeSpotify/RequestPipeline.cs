using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace OrleansSpotify.FakeSpotify;

/// <summary>
/// Middleware in front of every endpoint: answers with the rate-limit window or a queued fault instead of the
/// normal handling, and logs every request (faulted ones included) with the user resolved from its credentials.
/// </summary>
internal sealed class RequestPipeline(FakeSpotifyState state)
{
    /// <summary>Set by handlers to the user the request's credentials resolved to (null: unknown).</summary>
    public const string UserIdKey = "fake-spotify.user-id";

    /// <summary>A pending <see cref="FakeFault.NullProgress"/> or <see cref="FakeFault.UnknownItemType"/>.</summary>
    public const string PlaybackQuirkKey = "fake-spotify.playback-quirk";

    /// <summary>Set when a <see cref="FakeFault.Timeout"/> left the request without an answer.</summary>
    private const string NoAnswerKey = "fake-spotify.no-answer";

    /// <summary>The <see cref="FakeFault"/> the request was answered with, for the log.</summary>
    private const string ServedFaultKey = "fake-spotify.served-fault";

    private const string BearerScheme = "Bearer ";

    private const string BadGatewayPage =
        "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n";

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var at = state.Now;
        var route = context.GetEndpoint()?.Metadata.GetMetadata<FakeRoute>();
        var failed = false;
        try
        {
            if (!await TryAnswerWithFaultAsync(context, route, at))
            {
                await next(context);
                await FinishMalformedJsonAsync(context);
            }
        }
        catch
        {
            failed = true;
            throw;
        }
        finally
        {
            var userId = context.Items.TryGetValue(UserIdKey, out var known) ? known as string : await ResolveUserAsync(context, route);
            var status = context.Items.ContainsKey(NoAnswerKey) ? 0
                : failed ? StatusCodes.Status500InternalServerError
                : context.Response.StatusCode;
            state.LogRequest(new FakeRequest(
                at,
                context.Request.Method,
                context.Request.Path.Value ?? "",
                context.Request.QueryString.Value ?? "",
                status,
                userId,
                route?.Name)
            {
                RetryAfter = status == StatusCodes.Status429TooManyRequests ? SentRetryAfter(context) : null,
                Fault = context.Items.TryGetValue(ServedFaultKey, out var fault) ? fault as FakeFault? : null,
            });
        }
    }

    /// <summary>The bearer token of a request, or null when there is none.</summary>
    public static string? BearerToken(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        return header.StartsWith(BearerScheme, StringComparison.OrdinalIgnoreCase) ? header[BearerScheme.Length..].Trim() : null;
    }

    private async Task<bool> TryAnswerWithFaultAsync(HttpContext context, FakeRoute? route, DateTimeOffset now)
    {
        if (route is null)
        {
            return false;
        }

        if (route.IsWebApi && state.Faults.CheckRateLimit(now) is { } limit)
        {
            context.Items[ServedFaultKey] = limit.Quota ? FakeFault.QuotaExceeded429 : FakeFault.RateLimited429;
            await SpotifyResponses.RateLimitedAsync(context, limit.Quota, Capped(limit.RetryAfter));
            return true;
        }

        if (route.Kind is not { } kind || state.Faults.TryDequeue(kind) is not { } queued)
        {
            return false;
        }

        var token = kind == FakeEndpoint.Token;
        context.Items[ServedFaultKey] = queued.Fault;
        switch (queued.Fault)
        {
            case FakeFault.MalformedJson:
                context.Items[SpotifyResponses.MalformedJsonKey] = true;
                return false;
            case FakeFault.NullProgress or FakeFault.UnknownItemType:
                context.Items[PlaybackQuirkKey] = queued.Fault;
                return false;
            case FakeFault.ServerError500Json when token:
                await SpotifyResponses.OAuthErrorAsync(context, StatusCodes.Status500InternalServerError, "server_error", "Internal server error");
                return true;
            case FakeFault.ServerError500Json:
                await SpotifyResponses.ApiErrorAsync(context, StatusCodes.Status500InternalServerError, SpotifyMessages.ServerError);
                return true;
            case FakeFault.BadGateway502Html:
                await SpotifyResponses.HtmlAsync(context, StatusCodes.Status502BadGateway, BadGatewayPage);
                return true;
            case FakeFault.ServiceUnavailable503Empty:
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                context.Response.ContentLength = 0;
                return true;
            case FakeFault.RateLimited429 or FakeFault.QuotaExceeded429:
                await SpotifyResponses.RateLimitedAsync(context, queued.Fault == FakeFault.QuotaExceeded429, Capped(queued.RetryAfter));
                return true;
            case FakeFault.Timeout:
                await HangAsync(context);
                return true;
            case FakeFault.Unauthorized401Expired:
                await SpotifyResponses.UnauthorizedAsync(context, SpotifyMessages.AccessTokenExpired);
                return true;
            case FakeFault.Unauthorized401Spurious:
                await SpotifyResponses.UnauthorizedAsync(context, SpotifyMessages.AccessTokenMissing);
                return true;
            case FakeFault.InvalidGrant:
                await SpotifyResponses.OAuthErrorAsync(context, StatusCodes.Status400BadRequest, "invalid_grant", "Refresh token revoked");
                return true;
            case FakeFault.Forbidden403NotAllowlisted:
                await SpotifyResponses.ApiErrorAsync(context, StatusCodes.Status403Forbidden, SpotifyMessages.NotAllowlisted);
                return true;
            case FakeFault.Forbidden403OwnerNotPremium:
                await SpotifyResponses.ApiErrorAsync(context, StatusCodes.Status403Forbidden, SpotifyMessages.OwnerNotPremium);
                return true;
            default:
                throw new InvalidOperationException($"Unhandled fault {queued.Fault}.");
        }
    }

    /// <summary>Waits until the client gives up or the server stops, then drops the connection without answering.</summary>
    private static async Task HangAsync(HttpContext context)
    {
        var stopping = context.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        using var hang = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        try
        {
            await Task.Delay(System.Threading.Timeout.InfiniteTimeSpan, hang.Token);
        }
        catch (OperationCanceledException)
        {
        }

        context.Items[NoAnswerKey] = true;
        context.Abort();
    }

    private TimeSpan? Capped(TimeSpan? retryAfter) =>
        retryAfter is { } wait && state.Options.MaxRetryAfter is { } max && wait > max ? max : retryAfter;

    private static TimeSpan? SentRetryAfter(HttpContext context) =>
        long.TryParse(context.Response.Headers.RetryAfter.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? TimeSpan.FromSeconds(seconds)
            : null;

    /// <summary>A malformed-JSON fault on a request answered without JSON (a 204) still gets a truncated 200.</summary>
    private static async Task FinishMalformedJsonAsync(HttpContext context)
    {
        if (context.Items.Remove(SpotifyResponses.MalformedJsonKey) && !context.Response.HasStarted)
        {
            var body = "{\"timestamp\":"u8.ToArray();
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = SpotifyResponses.JsonContentType;
            context.Response.ContentLength = body.Length;
            await context.Response.Body.WriteAsync(body, context.RequestAborted);
        }
    }

    private async Task<string?> ResolveUserAsync(HttpContext context, FakeRoute? route)
    {
        if (route is null)
        {
            return null;
        }

        if (route.IsWebApi)
        {
            return BearerToken(context) is { } token ? state.Tokens.CheckAccessToken(token).UserId : null;
        }

        if (route.Kind == FakeEndpoint.Token && context.Request.HasFormContentType)
        {
            try
            {
                var form = await context.Request.ReadFormAsync(context.RequestAborted);
                return state.Tokens.UserOfCredential(form["code"].FirstOrDefault(), form["refresh_token"].FirstOrDefault());
            }
            catch (Exception exception) when (exception is InvalidDataException or IOException or OperationCanceledException)
            {
                return null;
            }
        }

        return null;
    }
}
