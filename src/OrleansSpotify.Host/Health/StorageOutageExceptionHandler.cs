using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Data.Sqlite;
using OrleansSpotify.Abstractions;
using OrleansSpotify.Storage;

namespace OrleansSpotify.Host.Health;

/// <summary>
/// A request whose write the database refuses for now (full disk, read-only file, I/O error, a lock held too long)
/// answers 503 problem details with <c>Retry-After</c>, not 500: nothing was written, and the same request may be
/// sent again once <c>/readyz</c> is healthy. Reads are unaffected and answer as usual.
/// </summary>
public sealed partial class StorageOutageExceptionHandler(IProblemDetailsService problems, ILogger<StorageOutageExceptionHandler> logger) : IExceptionHandler
{
    public const int RetryAfterSeconds = 30;

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (Reason(exception) is not { } reason || httpContext.Response.HasStarted)
        {
            return false;
        }

        LogRefused(logger, httpContext.Request.Method, httpContext.Request.Path, reason);
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails =
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Storage unavailable",
                Detail = $"The database does not accept writes right now ({reason}); nothing was changed. Try again later.",
            },
        });
    }

    private static string? Reason(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            switch (exception)
            {
                case SqliteException sqlite when SqliteDatabase.IsWriteOutage(sqlite):
                    return SqliteDatabase.Describe(sqlite);
                case StorageUnavailableException unavailable:
                    return unavailable.Reason;
            }
        }

        return null;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} {Path} answered 503: the database refuses writes ({Reason})")]
    private static partial void LogRefused(ILogger logger, string method, PathString path, string reason);
}
