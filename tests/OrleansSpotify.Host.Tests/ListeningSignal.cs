using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using OrleansSpotify.Abstractions;
using OrleansSpotify.Grains;
using OrleansSpotify.Host.Live;

namespace OrleansSpotify.Host.Tests;

/// <summary>
/// Waits for a state of the running Host that the listener brings about (a play stored, an account playing): the
/// state is read again each time a Host of this test process reports a listening event (a play committed, a now-playing
/// change, an account change), never on a timer. Every test host taps its <see cref="IListeningEvents"/> for it.
/// </summary>
internal static class ListeningSignal
{
    private static readonly Lock Gate = new();
    private static TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Adds the tap to a test host: the Host's own events, each also signalled here.</summary>
    public static void Tap(IWebHostBuilder builder) =>
        builder.ConfigureTestServices(services =>
            services.AddSingleton<IListeningEvents>(sp => new Tapped(sp.GetRequiredService<HubListeningEvents>())));

    /// <summary>
    /// Completes when <paramref name="condition"/> holds, checked now and after every listening event; fails after
    /// <paramref name="seconds"/> naming <paramref name="because"/>.
    /// </summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, string because, int seconds = 30)
    {
        var ct = TestContext.Current.CancellationToken;
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bound.CancelAfter(TimeSpan.FromSeconds(seconds));
        while (true)
        {
            Task next;
            lock (Gate)
            {
                next = _next.Task;
            }

            if (await condition())
            {
                return;
            }

            try
            {
                await next.WaitAsync(bound.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new TimeoutException($"Waited {seconds} s for {because}.");
            }
        }
    }

    private static void Signal()
    {
        TaskCompletionSource next;
        lock (Gate)
        {
            next = _next;
            _next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        next.TrySetResult();
    }

    private sealed class Tapped(IListeningEvents inner) : IListeningEvents
    {
        public void NowPlayingChanged(LiveState state)
        {
            inner.NowPlayingChanged(state);
            Signal();
        }

        public void PlaysCommitted(string accountKey, IReadOnlyList<PlayRecord> plays)
        {
            inner.PlaysCommitted(accountKey, plays);
            Signal();
        }

        public void AccountChanged(string accountKey)
        {
            inner.AccountChanged(accountKey);
            Signal();
        }

        public void ImportProgressed(ImportJobStatus status)
        {
            inner.ImportProgressed(status);
            Signal();
        }
    }
}
