using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;

namespace OrleansSpotify.Host.Tests;

/// <summary>Records every message a hub connection receives, with the instant it arrived.</summary>
internal sealed class HubRecorder
{
    private readonly ConcurrentQueue<HubMessage> _messages = new();

    public HubRecorder(HubConnection connection)
    {
        foreach (var method in new[] { "nowPlaying", "playsAdded", "accountChanged" })
        {
            connection.On<JsonElement>(method, payload => _messages.Enqueue(new HubMessage(method, payload, DateTimeOffset.UtcNow)));
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

    /// <summary>The first message of <paramref name="method"/> matching <paramref name="match"/>, waiting up to <paramref name="seconds"/>.</summary>
    public async Task<HubMessage> WaitForAsync(string method, Func<JsonElement, bool> match, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var found = _messages.FirstOrDefault(m => m.Method == method && match(m.Payload));
            if (found is not null)
            {
                return found;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"No matching '{method}' within {seconds} s. Received: {string.Join(", ", _messages.Select(m => m.Method + " " + m.Payload))}");
            }

            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
    }
}

internal sealed record HubMessage(string Method, JsonElement Payload, DateTimeOffset ReceivedAt)
{
    public string? AccountId => Payload.GetProperty("accountId").GetString();

    public string? ItemUri => Payload.TryGetProperty("item", out var item) && item.ValueKind == JsonValueKind.Object ? item.GetProperty("uri").GetString() : null;
}
