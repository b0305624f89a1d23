using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;

namespace OrleansSpotify.Host.Tests;

/// <summary>Records every message a hub connection receives, with the instant it arrived.</summary>
internal sealed class HubRecorder
{
    private readonly ConcurrentQueue<HubMessage> _messages = new();
    private readonly Lock _gate = new();
    private TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public HubRecorder(HubConnection connection)
    {
        foreach (var method in new[] { "nowPlaying", "playsAdded", "accountChanged", "importProgress" })
        {
            connection.On<JsonElement>(method, payload => Record(new HubMessage(method, payload, DateTimeOffset.UtcNow)));
        }

        connection.Closed += _ =>
        {
            Closed.TrySetResult();
            return Task.CompletedTask;
        };
    }

    public TaskCompletionSource Closed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<HubMessage> Messages => [.. _messages];

    public IReadOnlyList<HubMessage> Of(string method) => [.. _messages.Where(m => m.Method == method)];

    /// <summary>
    /// The first message of <paramref name="method"/> matching <paramref name="match"/>: looked for again on every
    /// message that arrives, failing after <paramref name="seconds"/>.
    /// </summary>
    public async Task<HubMessage> WaitForAsync(string method, Func<JsonElement, bool> match, int seconds = 20)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        bound.CancelAfter(TimeSpan.FromSeconds(seconds));
        while (true)
        {
            Task arrived;
            lock (_gate)
            {
                arrived = _arrived.Task;
            }

            var found = _messages.FirstOrDefault(m => m.Method == method && match(m.Payload));
            if (found is not null)
            {
                return found;
            }

            try
            {
                await arrived.WaitAsync(bound.Token);
            }
            catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"No matching '{method}' within {seconds} s. Received: {string.Join(", ", _messages.Select(m => m.Method + " " + m.Payload))}");
            }
        }
    }

    private void Record(HubMessage message)
    {
        _messages.Enqueue(message);
        TaskCompletionSource arrived;
        lock (_gate)
        {
            arrived = _arrived;
            _arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        arrived.TrySetResult();
    }
}

internal sealed record HubMessage(string Method, JsonElement Payload, DateTimeOffset ReceivedAt)
{
    public string? AccountId => Payload.GetProperty("accountId").GetString();

    public string? ItemUri => Payload.TryGetProperty("item", out var item) && item.ValueKind == JsonValueKind.Object ? item.GetProperty("uri").GetString() : null;
}
