using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace OrleansSpotify.Host.Auth;

/// <summary>Section <c>SignInRateLimit</c>: how often one client address may hit the sign-in endpoints.</summary>
public sealed class SignInRateLimitOptions
{
    public const string SectionName = "SignInRateLimit";

    /// <summary><c>SignInRateLimit__PermitLimit</c>: requests per window and client address (default 10).</summary>
    [Range(1, 100_000, ErrorMessage = "SignInRateLimit__PermitLimit must be between 1 and 100000.")]
    public int PermitLimit { get; set; } = 10;

    /// <summary><c>SignInRateLimit__Window</c>: the window (default one minute).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "SignInRateLimit__Window must be between 00:00:01 and 1.00:00:00.")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>
/// <c>/auth/login</c> and <c>/auth/callback</c> are rate limited per client address: the
/// address after forwarded headers, so behind a trusted proxy each member's device has its own budget. A client over
/// the limit gets 429 problem details with <c>Retry-After</c>.
/// </summary>
public static class SignInRateLimiting
{
    public const string PolicyName = "sign-in";

    public static WebApplicationBuilder AddSignInRateLimiting(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<SignInRateLimitOptions>().BindConfiguration(SignInRateLimitOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddRateLimiter(options => options.OnRejected = RejectAsync);
        builder.Services.AddOptions<RateLimiterOptions>().Configure<IOptions<SignInRateLimitOptions>>((limiter, signIn) =>
            limiter.AddPolicy(PolicyName, context => RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = signIn.Value.PermitLimit,
                    Window = signIn.Value.Window,
                    QueueLimit = 0,
                    AutoReplenishment = true,
                })));
        return builder;
    }

    public static WebApplication UseSignInRateLimiting(this WebApplication app)
    {
        app.UseRateLimiter();
        return app;
    }

    private static async ValueTask RejectAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var http = context.HttpContext;
        var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
            ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
            : (int)Math.Ceiling(http.RequestServices.GetRequiredService<IOptions<SignInRateLimitOptions>>().Value.Window.TotalSeconds);
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails =
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many sign-in attempts",
                Detail = $"Too many sign-in requests from this address. Try again in {seconds} seconds.",
            },
        });
    }
}
