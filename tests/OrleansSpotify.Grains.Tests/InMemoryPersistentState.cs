namespace OrleansSpotify.Grains.Tests;

/// <summary>A grain's persisted state held in memory, counting its writes: for the listener's parts tested without a cluster.</summary>
public sealed class InMemoryPersistentState<T>(T state) : IPersistentState<T>
{
    public T State { get; set; } = state;

    public string? Etag => null;

    public bool RecordExists => Writes > 0;

    public int Writes { get; private set; }

    public Task ClearStateAsync() => throw new NotSupportedException("The listener never clears its state.");

    public Task ReadStateAsync() => Task.CompletedTask;

    public Task WriteStateAsync()
    {
        Writes++;
        return Task.CompletedTask;
    }
}
