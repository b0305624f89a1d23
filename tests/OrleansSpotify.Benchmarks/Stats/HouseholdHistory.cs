namespace OrleansSpotify.Benchmarks.Stats;

/// <summary>One generated play, kept compact; the <c>PlayRecord</c> is built only when it is written.</summary>
/// <param name="PlayedAtMs">The end of the play, Unix ms (as Spotify reports it).</param>
/// <param name="MsPlayed">What was listened to, when the source reported it (the imported history); -1: not reported.</param>
/// <param name="Context">Index into <see cref="HouseholdHistory.Contexts"/>; -1: none.</param>
public readonly record struct GeneratedPlay(long PlayedAtMs, int Track, int MsPlayed, int Context);

/// <summary>A household member's plays, oldest first.</summary>
public sealed record AccountHistory(string Key, string DisplayName, GeneratedPlay[] Plays);

/// <summary>Where plays were started from: albums and playlists, shared by every account.</summary>
public sealed class PlayContexts
{
    private readonly Dictionary<string, int> _indexes = new(StringComparer.Ordinal);
    private readonly List<(string Uri, string Type)> _contexts = [];

    public IReadOnlyList<(string Uri, string Type)> All => _contexts;

    public int Add(string uri, string type)
    {
        if (!_indexes.TryGetValue(uri, out var index))
        {
            _indexes[uri] = index = _contexts.Count;
            _contexts.Add((uri, type));
        }

        return index;
    }
}

/// <summary>
/// A deterministic household history over a <see cref="MusicCatalogue"/>: per account an exact share of the plays,
/// spread over the days with a weekday rhythm, a slowly drifting activity level, days off and breaks; each day's
/// plays come in sessions starting at hours typical of weekdays or weekends (shifted per account), played back to
/// back. A session plays an album in order, shuffles one of the account's playlists, or mixes the account's taste
/// (a Zipf over its own ranking of artists, which drifts year by year) with the charts. Plays before the account's
/// import cutoff come from the imported extended history (listening time reported, skips included); later ones
/// were polled from recently-played (time not reported).
/// </summary>
public sealed class HouseholdHistory
{
    private const long DayMs = 86_400_000;

    private static readonly string[] MemberNames = ["Nora", "Elliot", "Maya", "Jonas", "Ava", "Theo", "Lena", "Marcus", "Ines", "Kai"];

    private static readonly double[] WeekdayHours =
    [
        0.25, 0.12, 0.06, 0.04, 0.05, 0.15, 0.6, 1.5, 2.0, 1.4, 1.0, 0.9,
        1.0, 1.1, 0.9, 0.9, 1.0, 1.8, 2.0, 1.6, 1.7, 1.6, 1.2, 0.6,
    ];

    private static readonly double[] WeekendHours =
    [
        0.7, 0.5, 0.3, 0.12, 0.05, 0.05, 0.1, 0.25, 0.6, 1.0, 1.4, 1.5,
        1.5, 1.4, 1.4, 1.3, 1.3, 1.4, 1.5, 1.6, 1.7, 1.7, 1.4, 1.0,
    ];

    /// <summary>Which share of each account's years came from its imported history (cycled for more accounts).</summary>
    private static readonly double[] ImportedShare = [0.8, 0.65, 0.9, 0.7, 0.75];

    private HouseholdHistory(IReadOnlyList<AccountHistory> accounts, PlayContexts contexts)
    {
        Accounts = accounts;
        Contexts = contexts.All;
    }

    public IReadOnlyList<AccountHistory> Accounts { get; }

    public IReadOnlyList<(string Uri, string Type)> Contexts { get; }

    public int Plays => Accounts.Sum(a => a.Plays.Length);

    public static HouseholdHistory Generate(MusicCatalogue catalogue, StatsBenchmarkOptions options)
    {
        var start = new DateTimeOffset(options.End.AddYears(-options.Years).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var end = new DateTimeOffset(options.End.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

        // Some members listen much more than others: shares fall off with the account's index.
        var shares = Enumerable.Range(0, options.Accounts).Select(i => 1 / Math.Pow(i + 1, 0.6)).ToArray();
        var counts = LargestRemainder(options.Plays, shares);
        var contexts = new PlayContexts();
        var music = new SharedSamplers(catalogue);
        var accounts = new List<AccountHistory>();
        for (var i = 0; i < options.Accounts; i++)
        {
            // Not HashCode.Combine: it is randomized per process, and the history must be the same in every run.
            var random = new Random(unchecked((options.Seed * 7_919) + ((i + 1) * 104_729)));
            var cutoff = start + ((end - start) * ImportedShare[i % ImportedShare.Length]);
            var listener = new Listener(random, catalogue, music, contexts, start.ToUnixTimeMilliseconds(), cutoff.ToUnixTimeMilliseconds());
            var plays = listener.Listen(counts[i], start, end, hourShift: (i * 3 % 4) - 1);
            var name = MemberNames[i % MemberNames.Length] + (i >= MemberNames.Length ? $" {i / MemberNames.Length + 1}" : "");
            accounts.Add(new AccountHistory($"bench-member-{i}", name, plays));
        }

        return new HouseholdHistory(accounts, contexts);
    }

    /// <summary>Splits <paramref name="total"/> in proportion to the weights, exactly (largest remainder).</summary>
    private static int[] LargestRemainder(int total, IReadOnlyList<double> weights)
    {
        var sum = weights.Sum();
        var exact = weights.Select(w => sum > 0 ? total * w / sum : 0).ToArray();
        var counts = exact.Select(e => (int)Math.Floor(e)).ToArray();
        var missing = total - counts.Sum();
        foreach (var index in Enumerable.Range(0, exact.Length).OrderByDescending(i => exact[i] - counts[i]).ThenBy(i => i).Take(missing))
        {
            counts[index]++;
        }

        return counts;
    }

    /// <summary>The samplers every account draws from (immutable popularity, so they can be shared).</summary>
    private sealed class SharedSamplers(MusicCatalogue catalogue)
    {
        public ZipfSampler Charts { get; } = new(catalogue.Tracks.Length, 1.0);

        public ZipfSampler Taste { get; } = new(catalogue.Headliners.Length, 1.05);

        public ZipfSamplers WithinArtist { get; } = new(1.0);

        public ZipfSamplers Playlists { get; } = new(1.1);
    }

    /// <summary>One account's listening, generated day by day.</summary>
    private sealed class Listener
    {
        private const long YearMs = 31_556_952_000;

        private readonly Random _random;
        private readonly MusicCatalogue _catalogue;
        private readonly SharedSamplers _samplers;
        private readonly PlayContexts _contexts;
        private readonly long _startMs;
        private readonly long _importCutoffMs;
        private readonly List<GeneratedPlay> _plays = [];
        private readonly List<(int[] Tracks, int Context)> _playlists = [];
        private readonly double[] _tasteNoise;
        private int[] _ranking = [];
        private int _tasteYear = -1;
        private long _nextPlaylistMs;
        private long _cursor;

        public Listener(Random random, MusicCatalogue catalogue, SharedSamplers samplers, PlayContexts contexts, long startMs, long importCutoffMs)
        {
            _random = random;
            _catalogue = catalogue;
            _samplers = samplers;
            _contexts = contexts;
            _startMs = startMs;
            _importCutoffMs = importCutoffMs;
            _tasteNoise = [.. catalogue.Headliners.Select(_ => random.NextGaussian())];
            _nextPlaylistMs = startMs + random.NextInt64(0, 60 * DayMs);
            _cursor = startMs;
        }

        public GeneratedPlay[] Listen(int count, DateTimeOffset start, DateTimeOffset end, int hourShift)
        {
            var firstDay = DateOnly.FromDateTime(start.UtcDateTime);
            var days = DateOnly.FromDateTime(end.UtcDateTime).DayNumber - firstDay.DayNumber;
            var perDay = LargestRemainder(count, DayWeights(firstDay, days));
            _plays.Capacity = count;
            for (var day = 0; day < days; day++)
            {
                var date = firstDay.AddDays(day);
                var weekend = date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;
                var hours = weekend ? WeekendHours : WeekdayHours;
                var dayStart = start.ToUnixTimeMilliseconds() + (day * DayMs);
                var sessions = new List<(long Start, int Plays)>();
                for (var left = perDay[day]; left > 0;)
                {
                    var size = Math.Min(left, _random.NextGeometric(13));
                    left -= size;
                    var hour = (_random.NextWeighted(hours) + hourShift + 24) % 24;
                    sessions.Add((dayStart + (hour * 3_600_000L) + _random.NextInt64(3_600_000), size));
                }

                foreach (var (sessionStart, plays) in sessions.OrderBy(s => s.Start))
                {
                    // Sessions that would overlap the previous one follow it instead: one listener, one player.
                    _cursor = Math.Max(sessionStart, _cursor + _random.Next(1_000, 8_000));
                    Session(plays);
                }
            }

            return [.. _plays];
        }

        /// <summary>How much of the account's listening falls on each day.</summary>
        private double[] DayWeights(DateOnly firstDay, int days)
        {
            var weekday = Enumerable.Range(0, 7).Select(d => (d is 0 or 6 ? 1.2 : 1.0) * _random.NextLogNormal(0.12)).ToArray();
            var weights = new double[days];
            var level = 1.0;
            var breakLeft = 0;
            for (var day = 0; day < days; day++)
            {
                if (day % 30 == 0)
                {
                    // Activity drifts month by month (busy years, quiet years), pulled back towards the account's norm.
                    level = Math.Clamp(Math.Exp((0.9 * Math.Log(level)) + (0.18 * _random.NextGaussian())), 0.3, 3);
                }

                if (breakLeft > 0)
                {
                    breakLeft--;
                    continue;
                }

                if (_random.NextDouble() < 0.004)
                {
                    breakLeft = _random.Next(2, 15);
                    continue;
                }

                if (_random.NextDouble() < 0.05)
                {
                    continue;
                }

                weights[day] = level * weekday[(int)firstDay.AddDays(day).DayOfWeek] * _random.NextLogNormal(0.5);
            }

            return weights;
        }

        private void Session(int plays)
        {
            UpdateTaste();
            var mode = _random.Next(100);
            if (mode < 15)
            {
                AlbumSession(plays);
            }
            else if (mode < 60 && _playlists.Count > 0)
            {
                var (tracks, context) = _playlists[_playlists.Count - 1 - _samplers.Playlists.Next(_random, _playlists.Count)];
                for (var i = 0; i < plays; i++)
                {
                    Play(tracks[_random.Next(tracks.Length)], context);
                }
            }
            else
            {
                for (var i = 0; i < plays; i++)
                {
                    Play(Pick(), -1);
                }
            }
        }

        /// <summary>Albums of the account's artists, each from its first track in order.</summary>
        private void AlbumSession(int plays)
        {
            while (plays > 0)
            {
                var albums = _catalogue.AlbumsOfArtist[TasteArtist()];
                var album = albums[_samplers.WithinArtist.Next(_random, albums.Length)];
                var context = _contexts.Add("spotify:album:" + _catalogue.Albums[album].SpotifyId, "album");
                foreach (var track in _catalogue.TracksOfAlbum[album].Take(plays))
                {
                    Play(track, context);
                    plays--;
                }
            }
        }

        /// <summary>A track the account would choose: mostly its own artists, sometimes the charts.</summary>
        private int Pick()
        {
            if (_random.Next(100) < 20)
            {
                return _catalogue.Charts[_samplers.Charts.Next(_random)];
            }

            var tracks = _catalogue.TracksOfArtist[TasteArtist()];
            return tracks[_samplers.WithinArtist.Next(_random, tracks.Length)];
        }

        private int TasteArtist() => _ranking[_samplers.Taste.Next(_random)];

        private void Play(int track, int context)
        {
            var duration = _catalogue.Tracks[track].DurationMs;
            var listened = _random.Next(100) < 22
                ? _random.Next(5_000, 30_000) + (long)(_random.NextDouble() * duration * 0.4)
                : duration - _random.Next(0, 1_500);
            listened = Math.Clamp(listened, 1_000, duration);
            var playedAt = _cursor + listened;
            var reported = playedAt < _importCutoffMs;
            _plays.Add(new GeneratedPlay(playedAt, track, reported ? (int)listened : -1, context));
            _cursor = playedAt + _random.Next(0, 1_500);
        }

        /// <summary>Once a year the account's ranking of artists drifts; now and then it makes a playlist of its taste.</summary>
        private void UpdateTaste()
        {
            var year = (int)((_cursor - _startMs) / YearMs);
            if (year != _tasteYear)
            {
                _tasteYear = year;
                var score = new double[_tasteNoise.Length];
                for (var i = 0; i < score.Length; i++)
                {
                    _tasteNoise[i] = (0.75 * _tasteNoise[i]) + (0.66 * _random.NextGaussian());
                    score[i] = (0.6 * Math.Log(_catalogue.ArtistPopularity[_catalogue.Headliners[i]])) + (1.4 * _tasteNoise[i]);
                }

                _ranking = [.. Enumerable.Range(0, score.Length).OrderByDescending(i => score[i]).ThenBy(i => i).Select(i => _catalogue.Headliners[i])];
            }

            while (_cursor >= _nextPlaylistMs)
            {
                var tracks = Enumerable.Range(0, _random.Next(25, 91)).Select(_ => Pick()).Distinct().ToArray();
                var uri = $"spotify:playlist:{_random.NextInt64():x16}{_random.Next():x6}";
                _playlists.Add((tracks, _contexts.Add(uri, "playlist")));
                _nextPlaylistMs += (long)(-Math.Log(1 - _random.NextDouble()) * 100 * DayMs);
            }
        }
    }
}
