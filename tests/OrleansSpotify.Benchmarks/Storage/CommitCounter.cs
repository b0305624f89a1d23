using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansSpotify.Grains;

namespace OrleansSpotify.Benchmarks.Storage;

/// <summary>
/// Counts the transactions the <see cref="StorageGrain"/> commits, from its debug log line
/// "Committed a batch of {Plays} plays ({New} new) for {Requests} requests": how well it group-commits.
/// </summary>
public sealed class CommitCounter : ILoggerProvider, ILogger
{
    public static readonly string Category = typeof(StorageGrain).FullName!;

    private int _commits;
    private long _plays;

    public int Commits => Volatile.Read(ref _commits);

    public long Plays => Interlocked.Read(ref _plays);

    public ILogger CreateLogger(string categoryName) => categoryName == Category ? this : NullLogger.Instance;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (state is not IReadOnlyList<KeyValuePair<string, object?>> values
            || values.FirstOrDefault(v => v.Key == "{OriginalFormat}").Value is not string format
            || !format.StartsWith("Committed a batch", StringComparison.Ordinal))
        {
            return;
        }

        Interlocked.Increment(ref _commits);
        if (values.FirstOrDefault(v => v.Key == "Plays").Value is int plays)
        {
            Interlocked.Add(ref _plays, plays);
        }
    }

    public void Dispose()
    {
    }
}
