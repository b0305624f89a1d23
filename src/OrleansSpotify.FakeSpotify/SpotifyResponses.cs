using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace OrleansSpotify.FakeSpotify;

/// <summary>Writes Spotify's wire answers: JSON bodies, both error shapes, 401 headers, HTML pages.</summary>
internal static class SpotifyResponses
{
    public const string JsonContentType = "application/json; charset=utf-8";

    /// <summary>Set by the request pipeline when a <see cref="FakeFault.MalformedJson"/> fault is pending.</summary>
    public const string MalformedJsonKey = "fake-spotify.malformed-json";

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Task JsonAsync(HttpContext context, int status, JsonNode body)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            body.WriteTo(writer);
        }

        var bytes = buffer.WrittenMemory;
        if (context.Items.Remove(MalformedJsonKey))
        {
            status = StatusCodes.Status200OK;
            bytes = bytes[..(bytes.Length / 2)];
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = JsonContentType;
        context.Response.ContentLength = bytes.Length;
        return context.Response.Body.WriteAsync(bytes, context.RequestAborted).AsTask();
    }

    /// <summary>The Web API error object <c>{"error":{"status":N,"message":"…"[,"reason":"…"]}}</c>.</summary>
    public static Task ApiErrorAsync(HttpContext context, int status, string message, string? reason = null)
    {
        var error = new JsonObject { ["status"] = status, ["message"] = message };
        if (reason is not null)
        {
            error["reason"] = reason;
        }

        return JsonAsync(context, status, new JsonObject { ["error"] = error });
    }

    /// <summary>A 401 with Spotify's <c>WWW-Authenticate</c> challenge.</summary>
    public static Task UnauthorizedAsync(HttpContext context, string message)
    {
        context.Response.Headers.WWWAuthenticate =
            $"Bearer realm=\"spotify\", error=\"invalid_token\", error_description=\"{message}\"";
        return ApiErrorAsync(context, StatusCodes.Status401Unauthorized, message);
    }

    /// <summary>A 429; <paramref name="retryAfter"/> is sent as whole seconds, rounded up.</summary>
    public static Task RateLimitedAsync(HttpContext context, bool quota, TimeSpan? retryAfter)
    {
        if (retryAfter is { } wait)
        {
            var seconds = Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds));
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }

        return quota
            ? ApiErrorAsync(context, StatusCodes.Status429TooManyRequests, "Too many requests", "QUOTA_EXCEEDED")
            : ApiErrorAsync(context, StatusCodes.Status429TooManyRequests, "API rate limit exceeded");
    }

    /// <summary>The accounts service's flat OAuth error <c>{"error":"…","error_description":"…"}</c>.</summary>
    public static Task OAuthErrorAsync(HttpContext context, int status, string error, string description) =>
        JsonAsync(context, status, new JsonObject { ["error"] = error, ["error_description"] = description });

    public static Task HtmlAsync(HttpContext context, int status, string html)
    {
        var bytes = Encoding.UTF8.GetBytes(html);
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.ContentLength = bytes.Length;
        return context.Response.Body.WriteAsync(bytes, context.RequestAborted).AsTask();
    }

    public static void NoContent(HttpContext context) => context.Response.StatusCode = StatusCodes.Status204NoContent;
}
