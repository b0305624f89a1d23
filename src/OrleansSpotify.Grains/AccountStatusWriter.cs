using OrleansSpotify.Abstractions;
using OrleansSpotify.Storage;

namespace OrleansSpotify.Grains;

/// <summary>
/// The one place a listener writes its account's status: its persisted state (saved through <paramref name="saveAsync"/>),
/// then, when the status changed, the accounts table the API lists and an announcement. The table is written off the
/// grain's turn, as the storage grain writes plays: Microsoft.Data.Sqlite is synchronous.
/// </summary>
internal sealed class AccountStatusWriter(
    IPersistentState<ListenerState> persisted,
    Func<Task> saveAsync,
    AccountStore accounts,
    ListenerAnnouncer announcer,
    TimeProvider timeProvider,
    string accountKey)
{
    /// <summary>Sets the status; <paramref name="announceAlways"/>: the table and the announcement even when it is the same (a new sign-in).</summary>
    public async Task SetAsync(AccountStatus status, string? detail, bool announceAlways = false)
    {
        var state = persisted.State;
        var changed = state.Status != status;
        state.Status = status;
        state.StatusDetail = detail;
        await saveAsync();
        if (changed || announceAlways)
        {
            var at = timeProvider.GetUtcNow();
            await Task.Run(() => accounts.SetStatus(accountKey, status, detail, at));
            announcer.AccountChanged();
        }
    }

    /// <summary>
    /// A poll succeeded: an account that was not active is again (saved, written, announced); an active one only loses
    /// its detail (a rate limit's, say), saved with the rest of the poll's state.
    /// </summary>
    public Task ActiveAgainAsync()
    {
        if (persisted.State.Status != AccountStatus.Active)
        {
            return SetAsync(AccountStatus.Active, null);
        }

        persisted.State.StatusDetail = null;
        return Task.CompletedTask;
    }
}
