namespace OrleansSpotify.FakeSpotify;

/// <summary>How one demo listener behaves: rates are per track (skips, repeats) or per session (podcast, private).</summary>
internal sealed record DemoPersona(
    string Id,
    string DisplayName,
    TimeSpan StartOffset,
    bool FreeTier,
    bool LocalFiles,
    double ShortSkipRate,
    double MidSkipRate,
    double RepeatRate,
    double PodcastRate,
    double PrivateRate,
    ContextWeights ContextWeights);

internal sealed record ContextWeights(int Album, int Playlist, int Liked, int Artist, int None);

/// <summary>Scripts one user's timeline as a sequence of listening sessions separated by breaks.</summary>
internal sealed class DemoListener
{
    private static readonly FakeLocalTrack[] LocalTracks =
    [
        new("Demo Take 3", TimeSpan.FromSeconds(187), "Sam Rivera", "Garage Sessions"),
        new("Voice Memo (Bridge Idea)", TimeSpan.FromSeconds(94), "Sam Rivera", "Garage Sessions"),
        new("Live at the Café", TimeSpan.FromSeconds(252), "The Basement Quartet", "Bootlegs 2019"),
        new("Untitled 07", TimeSpan.FromSeconds(205), "Unknown Artist", "Unknown Album"),
    ];

    private readonly FakeUser _user;
    private readonly DemoPersona _persona;
    private readonly FakeCatalog _catalog;
    private readonly Random _random;
    private readonly List<FakeArtist> _favoriteArtists;
    private readonly List<FakeTrack> _pool;
    private readonly List<FakeTrack> _liked;
    private readonly List<(string Uri, List<FakeTrack> Tracks)> _playlists;
    private readonly List<List<FakeTrack>> _albums;
    private int _tracksSinceAd;
    private int _nextAdAfter;

    public DemoListener(FakeUser user, DemoPersona persona, FakeCatalog catalog, Random random, int seed)
    {
        _user = user;
        _persona = persona;
        _catalog = catalog;
        _random = random;

        var artistsWithTracks = catalog.Tracks.Select(t => t.Artists[0]).Distinct().ToList();
        _favoriteArtists = [.. artistsWithTracks.OrderBy(_ => _random.Next()).Take(Math.Min(15, artistsWithTracks.Count))];
        var favorites = _favoriteArtists.Select(a => a.Id).ToHashSet(StringComparer.Ordinal);
        _pool = [.. catalog.Tracks.Where(t => favorites.Contains(t.Artists[0].Id) || _random.Next(100) < 10)];
        _albums = [.. catalog.Tracks
            .Where(t => favorites.Contains(t.Album.Artists[0].Id))
            .GroupBy(t => t.Album.Id)
            .Select(g => g.OrderBy(t => t.TrackNumber).ToList())];
        _liked = Shuffled(_pool).Take(Math.Min(60, _pool.Count)).ToList();
        _playlists = [.. Enumerable.Range(1, 3).Select(n => (
            "spotify:playlist:" + SpotifyIds.FromText($"{seed}:{user.Id}:playlist:{n}"),
            Shuffled(_pool).Take(Math.Min(_random.Next(20, 36), _pool.Count)).ToList()))];
        _nextAdAfter = _random.Next(3, 6);
    }

    public void Script(DateTimeOffset start, DateTimeOffset end)
    {
        var at = start;
        var first = true;
        while (at < end)
        {
            var sessionEnd = at + TimeSpan.FromMinutes(_random.Next(15, 100));
            if (!first && _random.NextDouble() < _persona.PodcastRate && _catalog.Episodes.Count > 0)
            {
                at = PlayEpisode(at);
            }
            else
            {
                var isPrivate = !first && _random.NextDouble() < _persona.PrivateRate;
                var (context, queue) = PickSession();
                at = PlayMusic(at, Min(sessionEnd, end), context, queue, isPrivate);
            }

            first = false;
            at += SessionBreak();
        }
    }

    private DateTimeOffset PlayEpisode(DateTimeOffset at)
    {
        var episode = _random.Pick(_catalog.Episodes);
        var played = _random.Next(100) < 60
            ? episode.Duration
            : TimeSpan.FromSeconds(_random.Next(300, Math.Max(301, (int)episode.Duration.TotalSeconds)));
        _user.AddPlay(new ScriptedPlay(at, episode, played, episode.ShowUri));
        return at + played + Gap();
    }

    private DateTimeOffset PlayMusic(DateTimeOffset at, DateTimeOffset until, string? context, IEnumerable<FakeTrack> queue, bool isPrivate)
    {
        foreach (var track in queue)
        {
            if (at >= until)
            {
                break;
            }

            var played = PlayedLength(track);
            at = Add(at, track, played, context, isPrivate);
            if (played == track.Duration && _random.NextDouble() < _persona.RepeatRate)
            {
                at = Add(at, track, PlayedLength(track), context, isPrivate);
            }

            if (_persona.FreeTier && ++_tracksSinceAd >= _nextAdAfter)
            {
                at = Add(at, new FakeAd(TimeSpan.FromSeconds(_random.Next(2) == 0 ? 15 : 30)), null, context, isPrivate);
                _tracksSinceAd = 0;
                _nextAdAfter = _random.Next(3, 6);
            }

            if (_persona.LocalFiles && _random.Next(100) < 6)
            {
                var local = _random.Pick(LocalTracks);
                at = Add(at, local, local.Duration, null, isPrivate);
            }
        }

        return at;
    }

    private DateTimeOffset Add(DateTimeOffset at, FakeItem item, TimeSpan? played, string? context, bool isPrivate)
    {
        var length = played ?? item.Duration;
        _user.AddPlay(new ScriptedPlay(at, item, length, context, isPrivate));
        return at + length + Gap();
    }

    private (string? Context, IEnumerable<FakeTrack> Queue) PickSession()
    {
        var weights = _persona.ContextWeights;
        var roll = _random.Next(weights.Album + weights.Playlist + weights.Liked + weights.Artist + weights.None);
        if ((roll -= weights.Album) < 0 && _albums.Count > 0)
        {
            var album = _random.Pick(_albums);
            return (album[0].Album.Uri, album);
        }

        if ((roll -= weights.Playlist) < 0)
        {
            var (uri, tracks) = _random.Pick(_playlists);
            return (uri, Shuffled(tracks));
        }

        if ((roll -= weights.Liked) < 0)
        {
            return (_user.Uri + ":collection", Shuffled(_liked));
        }

        if ((roll -= weights.Artist) < 0)
        {
            var artist = _random.Pick(_favoriteArtists);
            return (artist.Uri, Shuffled(_catalog.Tracks.Where(t => t.Artists.Contains(artist)).ToList()));
        }

        return (null, Endless());
    }

    /// <summary>Tracks picked one by one (search, queue, radio): no context.</summary>
    private IEnumerable<FakeTrack> Endless()
    {
        while (true)
        {
            yield return _random.Pick(_pool.Count > 0 ? _pool : _catalog.Tracks);
        }
    }

    private TimeSpan PlayedLength(FakeTrack track)
    {
        var roll = _random.NextDouble();
        var seconds = (int)track.Duration.TotalSeconds;
        if (roll < _persona.ShortSkipRate)
        {
            return TimeSpan.FromSeconds(_random.Next(3, Math.Min(29, seconds)));
        }

        if (roll < _persona.ShortSkipRate + _persona.MidSkipRate && seconds > 45)
        {
            return TimeSpan.FromSeconds(_random.Next(31, seconds - 10));
        }

        return track.Duration;
    }

    private List<FakeTrack> Shuffled(IReadOnlyList<FakeTrack> tracks)
    {
        var copy = tracks.ToArray();
        _random.Shuffle(copy);
        return [.. copy];
    }

    private TimeSpan Gap() => TimeSpan.FromMilliseconds(_random.Next(0, 1500));

    /// <summary>Between sessions: mostly short breaks, sometimes a few hours.</summary>
    private TimeSpan SessionBreak() => TimeSpan.FromMinutes(_random.Next(100) < 80 ? _random.Next(2, 45) : _random.Next(45, 240));

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
