using OrleansSpotify.Abstractions;

namespace OrleansSpotify.Grains.Tests;

/// <summary>The listener saves its state when a tracked field changed; the bookkeeping that moves every poll does not count.</summary>
public sealed class ListenerStateTests
{
    [Fact]
    public void ANewStateHasNothingUnsaved() => Assert.False(new ListenerState().HasUnsavedChanges);

    [Fact]
    public void EachTrackedFieldMarksTheStateUnsavedWhenItsValueChanges()
    {
        var at = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        Action<ListenerState>[] changes =
        [
            s => s.Status = AccountStatus.Active,
            s => s.StatusDetail = "Rate limited",
            s => s.IdleCount++,
            s => s.LastTrackId = "spotify:track:a",
            s => s.Cursor = at,
            s => s.NextAllowedCallAt = at,
            s => s.ConsecutiveFailures++,
            s => s.WasPlaying = true,
        ];

        foreach (var change in changes)
        {
            var state = new ListenerState();
            change(state);
            Assert.True(state.HasUnsavedChanges);
            state.MarkSaved();
            Assert.False(state.HasUnsavedChanges);
        }
    }

    [Fact]
    public void TheSameValueAgainAndThePerPollBookkeepingLeaveItSaved()
    {
        var state = new ListenerState { Status = AccountStatus.Active, IdleCount = 3, LastTrackId = "spotify:track:a" };
        state.MarkSaved();

        state.Status = AccountStatus.Active;
        state.IdleCount = 3;
        state.LastTrackId = "spotify:track:a";
        state.StatusDetail = null;
        state.ConsecutiveFailures = 0;
        state.LastSuccessfulPollAt = DateTimeOffset.UnixEpoch;
        state.LastHistoryReadAt = DateTimeOffset.UnixEpoch;
        state.LastProgressMs = 42;
        state.PollCount++;

        Assert.False(state.HasUnsavedChanges);
    }

    [Fact]
    public void APlayingPollKeepsItsItemAndProgressAndAnIdlePollCountsOneMoreIdle()
    {
        var state = new ListenerState();

        state.RecordPlayback(playing: false, null, 0);
        state.RecordPlayback(playing: false, null, 0);
        Assert.Equal(2, state.IdleCount);
        Assert.False(state.WasPlaying);

        state.RecordPlayback(playing: true, "spotify:track:a", 42_000);
        Assert.Equal(0, state.IdleCount);
        Assert.Equal("spotify:track:a", state.LastTrackId);
        Assert.Equal(42_000, state.LastProgressMs);
        Assert.True(state.WasPlaying);

        // A paused item is not playing: the last item and progress stay those last seen playing.
        state.RecordPlayback(playing: false, "spotify:track:a", 50_000);
        Assert.Equal(1, state.IdleCount);
        Assert.Equal(42_000, state.LastProgressMs);
        Assert.False(state.WasPlaying);
    }

    [Fact]
    public void TheCursorOnlyMovesForward()
    {
        var at = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        var state = new ListenerState();

        state.AdvanceCursor(at);
        Assert.Equal(at, state.Cursor);

        // A batch of backfilled offline plays, all older than the cursor, leaves it where it is.
        state.AdvanceCursor(at.AddHours(-3));
        Assert.Equal(at, state.Cursor);

        state.AdvanceCursor(at.AddMinutes(4));
        Assert.Equal(at.AddMinutes(4), state.Cursor);
    }

    [Fact]
    public void ARateLimitForbidsCallsOnlyUntilItsEnd()
    {
        var at = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        var state = new ListenerState();
        Assert.Null(state.RateLimitLeft(at));

        state.NextAllowedCallAt = at.AddMinutes(10);
        Assert.Equal(TimeSpan.FromMinutes(10), state.RateLimitLeft(at));
        Assert.Null(state.RateLimitLeft(at.AddMinutes(10)));
        Assert.Null(state.RateLimitLeft(at.AddHours(1)));
    }

    [Fact]
    public void TheStatusReportsTheStateAndTheTimersNextPoll()
    {
        var at = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        var state = new ListenerState
        {
            Status = AccountStatus.Blocked, StatusDetail = "refused", AuthorizedAt = at.AddDays(-1), LastSuccessfulPollAt = at.AddMinutes(-1),
            IdleCount = 4, Cursor = at.AddHours(-1), NextAllowedCallAt = at.AddMinutes(3), LastTrackId = "spotify:track:a", ConsecutiveFailures = 2, PollCount = 99,
        };

        Assert.Equal(
            new ListenerStatus(AccountStatus.Blocked, "refused", at.AddDays(-1), at.AddMinutes(-1), at.AddSeconds(5), 4, at.AddHours(-1), at.AddMinutes(3), "spotify:track:a", 2, 99),
            state.ToStatus(at.AddSeconds(5)));
    }
}
