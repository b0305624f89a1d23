namespace OrleansSpotify.Host.Demo;

/// <summary>
/// Whether the demo household's imported history is all in: <c>GET /api/info</c> reports it as <c>demoDataComplete</c>
/// (null outside demo mode, where there is no demo import to wait for). Registered only in demo mode.
/// </summary>
public sealed class DemoDataStatus
{
    private readonly TaskCompletionSource _complete = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool IsComplete => _complete.Task.IsCompletedSuccessfully;

    /// <summary>Completes once every member's history has been imported (never, when the import failed).</summary>
    public Task Completed => _complete.Task;

    internal void MarkComplete() => _complete.TrySetResult();
}
