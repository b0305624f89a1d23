using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansSpotify.Spotify.Logging;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace OrleansSpotify.Spotify.Http;

/// <summary>
/// The per-client resilience pipeline: retry (outer) around a per-attempt timeout (inner). Retries only
/// 500/502/503/504, connection failures and attempt timeouts — never 429 (thrown by the rate-limit gate inside
/// this pipeline), 401, 403 or any other 4xx.
/// </summary>
internal static class SpotifyResilience
{
    public const string ApiPipelineName = "spotify-api";
    public const string AccountsPipelineName = "spotify-accounts";

    private const string LoggerCategory = "OrleansSpotify.Spotify.Resilience";

    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, ResilienceHandlerContext context)
    {
        var services = context.ServiceProvider;
        var options = services.GetRequiredService<IOptions<SpotifyOptions>>().Value;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(LoggerCategory);

        // Polly.Extensions already hands the builder the TimeProvider registered in DI; set it explicitly so
        // back-off delays and attempt timeouts follow a FakeTimeProvider in tests whatever the library version does.
        pipeline.TimeProvider = services.GetRequiredService<TimeProvider>();

        if (options.MaxRetryAttempts > 0)
        {
            pipeline.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetryAttempts,
                Delay = options.RetryBaseDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldRetryAfterHeader = false,
                ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome)),
                OnRetry = args =>
                {
                    var request = args.Context.GetRequestMessage();
                    SpotifyLog.Retrying(
                        logger,
                        request?.Method.Method ?? "?",
                        request?.RequestUri?.AbsolutePath ?? "?",
                        Describe(args.Outcome),
                        args.AttemptNumber + 1,
                        args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            });
        }

        pipeline.AddTimeout(new HttpTimeoutStrategyOptions { Timeout = options.AttemptTimeout });
    }

    private static bool IsTransient(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException or TimeoutRejectedException } => true,
        { Result: { } response } => response.StatusCode is HttpStatusCode.InternalServerError
            or HttpStatusCode.BadGateway
            or HttpStatusCode.ServiceUnavailable
            or HttpStatusCode.GatewayTimeout,
        _ => false,
    };

    private static string Describe(Outcome<HttpResponseMessage> outcome) =>
        outcome.Result is { } response ? $"HTTP {(int)response.StatusCode}" : outcome.Exception?.GetType().Name ?? "unknown";
}
