using OrleansSpotify.FakeSpotify;

namespace OrleansSpotify.Testing;

/// <summary>Waits on the fake Spotify's request log: re-checked on every request it logs (its RequestLogged event).</summary>
internal static class FakeSpotifyRequests
{
    /// <summary>Completes once at least <paramref name="count"/> logged requests match; fails after <paramref name="timeout"/>.</summary>
    public static async Task WaitForAsync(this FakeSpotifyServer spotify, Func<FakeRequest, bool> match, int count, TimeSpan timeout, string because)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Check(FakeRequest _)
        {
            if (spotify.Requests.Count(match) >= count)
            {
                reached.TrySetResult();
            }
        }

        spotify.RequestLogged += Check;
        try
        {
            Check(null!);
            await reached.Task.WaitAsync(timeout, TestContext.Current.CancellationToken);
        }
        catch (TimeoutException exception)
        {
            throw new TimeoutException($"Waited {timeout} for {count} requests: {because}; saw {spotify.Requests.Count(match)}.", exception);
        }
        finally
        {
            spotify.RequestLogged -= Check;
        }
    }
}
