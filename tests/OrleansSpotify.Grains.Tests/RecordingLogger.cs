using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace OrleansSpotify.Grains.Tests;

/// <summary>Keeps every log entry written to it, at every level, in order.</summary>
public sealed class RecordingLogger : ILogger
{
    private readonly ConcurrentQueue<Entry> _entries = new();

    public IReadOnlyList<Entry> Entries => [.. _entries];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _entries.Enqueue(new Entry(logLevel, formatter(state, exception), exception));

    public sealed record Entry(LogLevel Level, string Message, Exception? Exception);
}
