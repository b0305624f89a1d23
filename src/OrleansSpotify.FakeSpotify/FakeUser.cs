namespace OrleansSpotify.FakeSpotify;

/// <summary>A Spotify account on the fake server, with a scripted listening timeline.</summary>
public sealed class FakeUser
{
    /// <summary>Spotify's documented threshold for a play to enter recently-played.</summary>
    internal static readonly TimeSpan MinimumRecordedPlay = TimeSpan.FromSeconds(30);

    private readonly FakeSpotifyState _state;
    private readonly List<ScriptedPlay> _byStart = [];
    private readonly List<ScriptedPlay> _byEnd = [];
    private TimeSpan _longestPlay;
    private bool _premiumOwnerMissing;
    private bool _notAllowlisted;

    internal FakeUser(FakeSpotifyState state, string id, string displayName, string? accountId)
    {
        _state = state;
        Id = id;
        DisplayName = displayName;
        AccountId = accountId;
    }

    public string Id { get; }

    public string DisplayName { get; }

    /// <summary>The 2026 <c>account_id</c>; when null, <c>GET /v1/me</c> omits the field (older responses).</summary>
    public string? AccountId { get; }

    public string Uri => "spotify:user:" + Id;

    /// <summary>The app owner has no Premium: every Web API call of this user answers Spotify's 403.</summary>
    public bool PremiumOwnerMissing
    {
        get
        {
            lock (_state.Gate)
            {
                return _premiumOwnerMissing;
            }
        }
        set
        {
            lock (_state.Gate)
            {
                _premiumOwnerMissing = value;
            }
        }
    }

    /// <summary>The user is not on the Dev Mode allowlist: every Web API call answers Spotify's 403.</summary>
    public bool NotAllowlisted
    {
        get
        {
            lock (_state.Gate)
            {
                return _notAllowlisted;
            }
        }
        set
        {
            lock (_state.Gate)
            {
                _notAllowlisted = value;
            }
        }
    }

    /// <summary>The timeline in start order (a snapshot).</summary>
    public IReadOnlyList<ScriptedPlay> Plays
    {
        get
        {
            lock (_state.Gate)
            {
                return [.. _byStart];
            }
        }
    }

    /// <summary>Adds a play to the timeline; plays may be added in any order and may overlap (automix).</summary>
    public void AddPlay(ScriptedPlay play)
    {
        ArgumentNullException.ThrowIfNull(play);
        ArgumentNullException.ThrowIfNull(play.Item);
        if (play.Played < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(play), "A play cannot last a negative time.");
        }

        lock (_state.Gate)
        {
            InsertSorted(_byStart, play, static p => p.StartedAt);
            InsertSorted(_byEnd, play, static p => p.EndedAt);
            if (play.Played > _longestPlay)
            {
                _longestPlay = play.Played;
            }

            _state.RegisterItem(play.Item);
        }
    }

    /// <summary>
    /// The user takes over the player: every play scripted to start after <paramref name="play"/> is dropped (a demo
    /// timeline's next tracks would otherwise replace it when their time comes), then <paramref name="play"/> is added.
    /// </summary>
    public void TakeOver(ScriptedPlay play)
    {
        ArgumentNullException.ThrowIfNull(play);
        lock (_state.Gate)
        {
            _byStart.RemoveAll(p => p.StartedAt > play.StartedAt);
            _byEnd.RemoveAll(p => p.StartedAt > play.StartedAt);
            AddPlay(play);
        }
    }

    /// <summary>
    /// What recently-played would contain at <paramref name="now"/> if it kept everything: the eligible plays
    /// (tracks, not private, long enough) that have become visible, newest <c>played_at</c> (= end) first.
    /// The endpoint serves the first 50 of these.
    /// </summary>
    public IReadOnlyList<ScriptedPlay> VisibleHistory(DateTimeOffset now)
    {
        lock (_state.Gate)
        {
            return VisibleHistory(now, int.MaxValue);
        }
    }

    /// <summary>Revokes the user's grants: every refresh token answers <c>invalid_grant</c> "Refresh token revoked".</summary>
    public void RevokeGrant() => _state.Tokens.RevokeUser(Id);

    /// <summary>Every outstanding access token of the user answers 401 "The access token expired".</summary>
    public void ExpireAccessTokens() => _state.Tokens.ExpireAccessTokens(Id);

    internal List<ScriptedPlay> VisibleHistory(DateTimeOffset now, int max)
    {
        lock (_state.Gate)
        {
            var delay = _state.Options.RecentlyPlayedDelay;
            var quirk = _state.Options.ShortPlayQuirk;
            var visible = new List<ScriptedPlay>();
            for (var i = UpperBound(_byEnd, now, static p => p.EndedAt) - 1; i >= 0 && visible.Count < max; i--)
            {
                var play = _byEnd[i];
                if (IsRecordable(play, quirk) && VisibleAt(play, delay) <= now)
                {
                    visible.Add(play);
                }
            }

            return visible;
        }
    }

    /// <summary>The play sounding at <paramref name="now"/>: the latest-started one whose interval contains it.</summary>
    internal ScriptedPlay? PlayingAt(DateTimeOffset now)
    {
        lock (_state.Gate)
        {
            for (var i = UpperBound(_byStart, now, static p => p.StartedAt) - 1; i >= 0; i--)
            {
                var play = _byStart[i];
                if (play.StartedAt + _longestPlay <= now)
                {
                    break;
                }

                if (play.EndedAt > now && !play.Offline)
                {
                    return play;
                }
            }

            return null;
        }
    }

    /// <summary>True when the play immediately repeats the item that ended just before it (repeat-one).</summary>
    internal bool IsRepeatOfPrevious(ScriptedPlay play)
    {
        lock (_state.Gate)
        {
            var index = UpperBound(_byStart, play.StartedAt, static p => p.StartedAt) - 1;
            while (index >= 0 && !ReferenceEquals(_byStart[index], play))
            {
                index--;
            }

            for (var i = index - 1; i >= 0; i--)
            {
                var previous = _byStart[i];
                if (previous.EndedAt > play.StartedAt)
                {
                    continue;
                }

                return play.StartedAt - previous.EndedAt <= TimeSpan.FromSeconds(5) && SameItem(previous.Item, play.Item);
            }

            return false;
        }
    }

    private static bool IsRecordable(ScriptedPlay play, bool shortPlayQuirk)
    {
        if (play.Item is not FakeTrack track || play.PrivateSession || play.PausedAt is not null)
        {
            return false;
        }

        return shortPlayQuirk ? play.Played >= track.Duration : play.Played >= MinimumRecordedPlay;
    }

    private static DateTimeOffset VisibleAt(ScriptedPlay play, TimeSpan delay)
    {
        var visibleAt = play.VisibleFrom ?? play.EndedAt + delay;
        return visibleAt < play.EndedAt ? play.EndedAt : visibleAt;
    }

    private static bool SameItem(FakeItem a, FakeItem b) => (a, b) switch
    {
        (FakeTrack x, FakeTrack y) => x.Id == y.Id,
        (FakeEpisode x, FakeEpisode y) => x.Id == y.Id,
        (FakeLocalTrack x, FakeLocalTrack y) => x.Uri == y.Uri,
        _ => false,
    };

    private static void InsertSorted(List<ScriptedPlay> list, ScriptedPlay play, Func<ScriptedPlay, DateTimeOffset> key) =>
        list.Insert(UpperBound(list, key(play), key), play);

    /// <summary>The index of the first element whose key is after <paramref name="value"/>.</summary>
    private static int UpperBound(List<ScriptedPlay> list, DateTimeOffset value, Func<ScriptedPlay, DateTimeOffset> key)
    {
        var low = 0;
        var high = list.Count;
        while (low < high)
        {
            var middle = low + ((high - low) / 2);
            if (key(list[middle]) <= value)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }
}
