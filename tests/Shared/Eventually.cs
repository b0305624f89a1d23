namespace OrleansSpotify.Testing;

/// <summary>
/// A bounded wait for a condition that has no notification to await — another process (a reverse proxy, a server
/// starting up) that only tells by answering. Only for that: anything in the test's own process is awaited on its
/// signal (an event, a hub message, a task). The interval paces the polling; it is not an assertion that something
/// has happened by then, and the timeout is a failure bound named by <c>because</c>.
/// </summary>
internal static class Eventually
{
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string because, CancellationToken cancellationToken = default)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(timeout);
        using var pace = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        Exception? last = null;
        while (true)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or IOException or System.Net.Sockets.SocketException or TaskCanceledException && !bound.IsCancellationRequested)
            {
                last = exception;
            }

            try
            {
                await pace.WaitForNextTickAsync(bound.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"Waited {timeout} for {because}" + (last is null ? "." : $"; last error: {last.Message}"), last);
            }
        }
    }
}
