using OrleansSpotify.Abstractions;

namespace OrleansSpotify.Storage.Stats;

/// <summary>
/// Computes every stat from one or more <see cref="PlayLog"/>s (each sorted by time) in one pass or two over their
/// arrays. Days, weeks, months and hours are local to the request's zone. Artists are credited through each track's
/// primary artist. Stats that do not depend on the order of plays (summary, tops, heatmap, timeline) run over every
/// log as it is, so a household's stats never pay for merging its members' logs; the others merge them first.
/// </summary>
public sealed class StatsEngine(IReadOnlyList<PlayLog> logs, CatalogSnapshot catalog, CatalogCache names, TimeZoneInfo zone, DateTimeOffset now)
{
    private readonly LocalClock _clock = new(zone);
    private PlayLog? _merged;

    public StatsEngine(PlayLog log, CatalogSnapshot catalog, CatalogCache names, TimeZoneInfo zone, DateTimeOffset now)
        : this([log], catalog, names, zone, now)
    {
    }

    /// <summary>Every play in one log sorted by time, for the stats that follow plays in order.</summary>
    private PlayLog log => _merged ??= logs.Count == 1 ? logs[0] : PlayLog.Merge(logs);

    public SummaryStats Summary(StatsRequest request)
    {
        var tracks = new DistinctIds();
        var artists = new DistinctIds();
        var albums = new DistinctIds();
        long reported = 0, estimated = 0;
        var plays = 0;
        long? firstPlay = null, lastPlay = null;
        foreach (var (part, start, end) in Slices(request.From, request.To))
        {
            for (var i = start; i < end; i++)
            {
                var track = part.TrackIds[i];
                tracks.Add(track);
                artists.Add(catalog.Artist(track));
                albums.Add(catalog.Album(track));

                if (part.MsReported[i])
                {
                    reported += part.Ms[i];
                }
                else
                {
                    estimated += part.Ms[i];
                }
            }

            plays += end - start;
            if (end > start)
            {
                firstPlay = Math.Min(firstPlay ?? long.MaxValue, part.PlayedAt[start]);
                lastPlay = Math.Max(lastPlay ?? long.MinValue, part.PlayedAt[end - 1]);
            }
        }

        var days = DayCount(request, firstPlay, lastPlay);
        var total = reported + estimated;
        return new SummaryStats(
            plays,
            new ListeningTime(total, reported, estimated),
            tracks.Count,
            artists.Count,
            albums.Count,
            firstPlay is { } f ? DateTimeOffset.FromUnixTimeMilliseconds(f) : null,
            lastPlay is { } l ? DateTimeOffset.FromUnixTimeMilliseconds(l) : null,
            days,
            days > 0 ? Math.Round((double)plays / days, 3) : 0,
            days > 0 ? Math.Round((double)total / days, 3) : 0);
    }

    /// <param name="members">
    /// The account of each log, in the order the engine was given them (household tops): each entry shown then lists
    /// the members who played it. Null for one account's tops.
    /// </param>
    public TopList Top(TopKind kind, StatsRequest request, IReadOnlyList<string>? members = null)
    {
        var current = Aggregate(kind, request.From, request.To);
        DateTimeOffset? previousFrom = null, previousTo = null;
        Tallies? previous = null;
        int[]? previousOrder = null;
        if (request.From is { } requestFrom && request.To is { } requestTo)
        {
            // The period of the same length just before; clamped at the first instant stats know (so the period
            // before one that starts there is empty).
            var (from, to) = (LocalClock.Clamp(requestFrom), LocalClock.Clamp(requestTo));
            previousTo = from;
            previousFrom = from.UtcTicks - LocalClock.MinInstant.UtcTicks < (to - from).Ticks ? LocalClock.MinInstant : from - (to - from);
            previous = Aggregate(kind, previousFrom, previousTo);
            previousOrder = previous.Ranked(request.By, int.MaxValue);
        }

        var ranked = current.Ranked(request.By, request.Limit);
        var entries = kind switch
        {
            TopKind.Tracks => names.Tracks(ranked),
            TopKind.Artists => names.Artists(ranked),
            _ => names.Albums(ranked),
        };

        // Ranks in the previous period, only for the keys shown.
        var shown = ranked.ToHashSet();
        var previousRanks = new Dictionary<int, int>();
        for (var r = 0; previousOrder is not null && r < previousOrder.Length && previousRanks.Count < shown.Count; r++)
        {
            if (shown.Contains(previousOrder[r]))
            {
                previousRanks[previousOrder[r]] = r + 1;
            }
        }

        var contributors = members is null ? null : Contributors(kind, request.From, request.To, ranked, members);
        var items = ranked.Select((key, index) =>
        {
            var entry = entries.GetValueOrDefault(key);
            return new TopEntry(
                index + 1,
                entry?.SpotifyId,
                entry?.Name ?? "Unknown",
                entry?.Subtitle,
                entry?.ImageUrl,
                current.Plays[key],
                current.Time(key),
                previousRanks.TryGetValue(key, out var rank) ? rank : null,
                contributors?[index]);
        }).ToList();
        return new TopList(kind, request.By, previousFrom, previousTo, items);
    }

    /// <summary>The internal ids (tracks, primary artists or albums) of the top <paramref name="limit"/>, best first.</summary>
    public int[] TopKeys(TopKind kind, StatsRequest request, int limit) =>
        Aggregate(kind, request.From, request.To).Ranked(request.By, limit);

    public Heatmap Heatmap(StatsRequest request)
    {
        var plays = Enumerable.Range(0, 7).Select(_ => new long[24]).ToArray();
        var ms = Enumerable.Range(0, 7).Select(_ => new long[24]).ToArray();
        foreach (var (part, start, end) in Slices(request.From, request.To))
        {
            for (var i = start; i < end; i++)
            {
                var local = _clock.LocalDateTime(part.PlayedAt[i]);
                var weekday = ((int)local.DayOfWeek + 6) % 7;
                plays[weekday][local.Hour]++;
                ms[weekday][local.Hour] += part.Ms[i];
            }
        }

        return new Heatmap(plays, ms);
    }

    public Timeline Timeline(StatsRequest request)
    {
        var slices = Slices(request.From, request.To);

        // Count per local day into an array (plays are sorted, so local days span [first - 1, last + 1] at most,
        // DST included), then fold days into buckets.
        var counts = new SortedDictionary<DateOnly, (long Plays, long Ms)>();
        var nonEmpty = slices.Where(s => s.End > s.Start).ToList();
        if (nonEmpty.Count > 0)
        {
            var firstDay = _clock.DayNumber(nonEmpty.Min(s => s.Log.PlayedAt[s.Start])) - 1;
            var days = _clock.DayNumber(nonEmpty.Max(s => s.Log.PlayedAt[s.End - 1])) + 2 - firstDay;
            var plays = new long[days];
            var ms = new long[days];
            foreach (var (part, start, end) in nonEmpty)
            {
                for (var i = start; i < end; i++)
                {
                    var index = _clock.DayNumber(part.PlayedAt[i]) - firstDay;
                    plays[index]++;
                    ms[index] += part.Ms[i];
                }
            }

            for (var d = 0; d < days; d++)
            {
                if (plays[d] > 0)
                {
                    var bucket = TimelineBuckets.Start(DateOnly.FromDayNumber(firstDay + d), request.Bucket);
                    var (p, m) = counts.GetValueOrDefault(bucket);
                    counts[bucket] = (p + plays[d], m + ms[d]);
                }
            }
        }

        // An open end is the first or last bucket with plays; an explicit one is the bucket of the range's first
        // (last) local day, clamped to the instants stats know. Callers keep the count within MaxBuckets.
        var first = request.From is { } f ? _clock.Date(LocalClock.Clamp(f).ToUnixTimeMilliseconds()) : counts.Keys.FirstOrDefault();
        var last = request.To is { } t ? _clock.Date(LocalClock.Clamp(t).ToUnixTimeMilliseconds() - 1) : counts.Keys.LastOrDefault();
        var points = new List<TimelinePoint>();
        if (counts.Count > 0 || (request.From is not null && request.To is not null))
        {
            var count = TimelineBuckets.Count(first, last, request.Bucket);
            if (count > TimelineBuckets.MaxBuckets)
            {
                throw new ArgumentOutOfRangeException(nameof(request), $"The timeline would have {count} buckets; at most {TimelineBuckets.MaxBuckets} are answered.");
            }

            var start = TimelineBuckets.Start(first, request.Bucket);
            for (var i = 0; i < count; i++)
            {
                var bucket = TimelineBuckets.At(start, i, request.Bucket);
                var (p, m) = counts.GetValueOrDefault(bucket);
                points.Add(new TimelinePoint(bucket, p, m));
            }
        }

        return new Timeline(request.Bucket, points);
    }

    public StreakStats Streaks(StatsRequest request)
    {
        var (start, end) = Slice(request.From, request.To);
        var longest = LongestRun(DaysWithPlays(start, end));

        var allDays = DaysWithPlays(0, log.Count);
        var today = _clock.Date(now.ToUnixTimeMilliseconds());
        Streak? current = null;
        if (allDays.Count > 0)
        {
            var lastDay = allDays.Max;
            if (lastDay >= today.AddDays(-1) && lastDay <= today)
            {
                var first = lastDay;
                while (allDays.Contains(first.AddDays(-1)))
                {
                    first = first.AddDays(-1);
                }

                current = new Streak(first, lastDay, lastDay.DayNumber - first.DayNumber + 1);
            }
        }

        var year = request.Year ?? (request.To is { } to ? _clock.Date(LocalClock.Clamp(to).ToUnixTimeMilliseconds() - 1) : today).Year;
        var (january, december) = (new DateOnly(year, 1, 1), new DateOnly(year, 12, 31));
        var perDay = DailyCounts(january, december);
        var calendar = new List<DayCount>();
        for (var n = 0; n <= december.DayNumber - january.DayNumber; n++)
        {
            var day = january.AddDays(n);
            var (p, m) = perDay.GetValueOrDefault(day);
            calendar.Add(new DayCount(day, p, m));
        }

        return new StreakStats(current, longest, year, calendar);
    }

    public Discoveries Discoveries(StatsRequest request)
    {
        var (start, end) = Slice(request.From, request.To);
        var firstTrack = new Dictionary<int, long>();
        var firstArtist = new Dictionary<int, long>();
        for (var i = 0; i < end; i++)
        {
            var track = log.TrackIds[i];
            firstTrack.TryAdd(track, log.PlayedAt[i]);
            if (catalog.Artist(track) is var artist and > 0)
            {
                firstArtist.TryAdd(artist, log.PlayedAt[i]);
            }
        }

        var trackPlays = new Dictionary<int, long>();
        var artistPlays = new Dictionary<int, long>();
        for (var i = start; i < end; i++)
        {
            var track = log.TrackIds[i];
            trackPlays[track] = trackPlays.GetValueOrDefault(track) + 1;
            if (catalog.Artist(track) is var artist and > 0)
            {
                artistPlays[artist] = artistPlays.GetValueOrDefault(artist) + 1;
            }
        }

        var lower = start < log.Count ? log.PlayedAt[start] : long.MaxValue;
        var newTracks = trackPlays.Where(t => firstTrack[t.Key] >= lower).ToList();
        var newArtists = artistPlays.Where(a => firstArtist[a.Key] >= lower).ToList();
        return new Discoveries(
            newTracks.Count,
            newArtists.Count,
            Discovered(newTracks, firstTrack, request.Limit, names.Tracks),
            Discovered(newArtists, firstArtist, request.Limit, names.Artists));
    }

    public SessionStats Sessions(StatsRequest request)
    {
        var (start, end) = Slice(request.From, request.To);
        var gap = request.SessionGapMinutes * 60_000L;
        var order = PlaysByEndThenStart(start, end);
        var sessions = new List<ListeningSession>();
        var i = 0;
        while (i < order.Length)
        {
            var first = order[i];
            var sessionStart = log.PlayedAt[first] - log.Ms[first];
            var sessionEnd = log.PlayedAt[first];
            var plays = 1;
            long ms = log.Ms[first];
            var j = i + 1;
            while (j < order.Length && log.PlayedAt[order[j]] - log.Ms[order[j]] - sessionEnd <= gap)
            {
                var next = order[j];
                sessionStart = Math.Min(sessionStart, log.PlayedAt[next] - log.Ms[next]);
                sessionEnd = Math.Max(sessionEnd, log.PlayedAt[next]);
                plays++;
                ms += log.Ms[next];
                j++;
            }

            sessions.Add(new ListeningSession(DateTimeOffset.FromUnixTimeMilliseconds(sessionStart), DateTimeOffset.FromUnixTimeMilliseconds(sessionEnd), plays, ms));
            i = j;
        }

        var average = sessions.Count > 0 ? (long)sessions.Average(s => (s.End - s.Start).TotalMilliseconds) : 0;
        var longest = sessions.OrderByDescending(s => s.End - s.Start).ThenBy(s => s.Start).Take(request.Limit).ToList();
        return new SessionStats(sessions.Count, average, request.SessionGapMinutes, longest);
    }

    public YearReview YearReview(int year, StatsRequest request)
    {
        var from = _clock.StartOf(new DateOnly(year, 1, 1));
        var to = _clock.EndOf(new DateOnly(year, 12, 31));
        var range = request with { From = from, To = to, Year = year };
        var (start, end) = Slice(from, to);
        var days = DailyCounts(new DateOnly(year, 1, 1), new DateOnly(year, 12, 31));
        var busiest = days.Count == 0 ? null : days.OrderByDescending(d => d.Value.Plays).ThenBy(d => d.Key).Select(d => new DayCount(d.Key, d.Value.Plays, d.Value.Ms)).First();
        return new YearReview(
            year,
            Summary(range),
            Top(TopKind.Tracks, range),
            Top(TopKind.Artists, range),
            Top(TopKind.Albums, range),
            busiest,
            LongestRun(DaysWithPlays(start, end)),
            Discoveries(range));
    }

    /// <summary>Top genres; <paramref name="genres"/> holds the known genres per artist id.</summary>
    public GenreStats Genres(StatsRequest request, IReadOnlyDictionary<int, string[]> genres)
    {
        var (start, end) = Slice(request.From, request.To);
        var tallies = new Dictionary<string, Tally>(StringComparer.Ordinal);
        var unknown = new Tally();
        var withGenres = new HashSet<int>();
        var withoutGenres = new HashSet<int>();
        for (var i = start; i < end; i++)
        {
            var artist = catalog.Artist(log.TrackIds[i]);
            if (artist > 0 && genres.TryGetValue(artist, out var names) && names.Length > 0)
            {
                withGenres.Add(artist);
                foreach (var name in names)
                {
                    if (!tallies.TryGetValue(name, out var tally))
                    {
                        tallies[name] = tally = new Tally();
                    }

                    tally.Add(log.Ms[i], log.MsReported[i]);
                }
            }
            else
            {
                withoutGenres.Add(artist);
                unknown.Add(log.Ms[i], log.MsReported[i]);
            }
        }

        var ordered = request.By == TopOrder.Time
            ? tallies.OrderByDescending(t => t.Value.TotalMs).ThenByDescending(t => t.Value.Plays)
            : tallies.OrderByDescending(t => t.Value.Plays).ThenByDescending(t => t.Value.TotalMs);
        var items = ordered.ThenBy(t => t.Key, StringComparer.Ordinal).Take(request.Limit)
            .Select((t, i) => new GenreEntry(i + 1, t.Key, t.Value.Plays, t.Value.Time()))
            .ToList();
        return new GenreStats(items, unknown.Plays, unknown.Time(), withGenres.Count, withoutGenres.Count);
    }

    /// <summary>
    /// The plays of [start, end) by end time, and plays ending at the same instant by start (the longer first), so that
    /// sessions do not depend on the order plays were written in.
    /// </summary>
    private int[] PlaysByEndThenStart(int start, int end)
    {
        var order = Enumerable.Range(start, end - start).ToArray();
        var ties = false;
        for (var i = start + 1; i < end && !ties; i++)
        {
            ties = log.PlayedAt[i] == log.PlayedAt[i - 1];
        }

        if (ties)
        {
            Array.Sort(order, (a, b) =>
            {
                var byEnd = log.PlayedAt[a].CompareTo(log.PlayedAt[b]);
                return byEnd != 0 ? byEnd : (log.PlayedAt[a] - log.Ms[a]).CompareTo(log.PlayedAt[b] - log.Ms[b]);
            });
        }

        return order;
    }

    /// <summary>The index range of each log's plays in [from, to).</summary>
    private List<(PlayLog Log, int Start, int End)> Slices(DateTimeOffset? from, DateTimeOffset? to)
    {
        var slices = new List<(PlayLog, int, int)>(logs.Count);
        foreach (var part in logs)
        {
            var start = from is { } f ? part.LowerBound(f.ToUnixTimeMilliseconds()) : 0;
            var end = to is { } t ? part.LowerBound(t.ToUnixTimeMilliseconds()) : part.Count;
            slices.Add((part, start, Math.Max(start, end)));
        }

        return slices;
    }

    /// <summary>The index range of plays in [from, to).</summary>
    private (int Start, int End) Slice(DateTimeOffset? from, DateTimeOffset? to)
    {
        var start = from is { } f ? log.LowerBound(f.ToUnixTimeMilliseconds()) : 0;
        var end = to is { } t ? log.LowerBound(t.ToUnixTimeMilliseconds()) : log.Count;
        return (start, Math.Max(start, end));
    }

    private int DayCount(StatsRequest request, long? firstPlay, long? lastPlay)
    {
        if (request.From is null && request.To is null && firstPlay is null)
        {
            return 0;
        }

        var first = request.From is { } f ? _clock.Date(LocalClock.Clamp(f).ToUnixTimeMilliseconds()) : firstPlay is { } p ? _clock.Date(p) : (DateOnly?)null;
        // A range reaching into the future (this year's review, say) counts only the days that have begun.
        var today = _clock.Date(now.ToUnixTimeMilliseconds());
        var last = request.To is { } t ? Min(_clock.Date(LocalClock.Clamp(t).ToUnixTimeMilliseconds() - 1), today) : lastPlay is { } q ? _clock.Date(q) : (DateOnly?)null;
        return first is { } a && last is { } b && b >= a ? b.DayNumber - a.DayNumber + 1 : 0;
    }

    private static DateOnly Min(DateOnly a, DateOnly b) => a < b ? a : b;

    private Tallies Aggregate(TopKind kind, DateTimeOffset? from, DateTimeOffset? to)
    {
        var keys = kind switch
        {
            TopKind.Tracks => null,
            TopKind.Artists => catalog.ArtistOf,
            _ => catalog.AlbumOf,
        };
        var size = kind switch
        {
            TopKind.Tracks => Math.Max(catalog.ArtistOf.Length, logs.Count == 0 ? 0 : logs.Max(l => l.MaxTrackId) + 1),
            TopKind.Artists => catalog.MaxArtistId + 1,
            _ => catalog.MaxAlbumId + 1,
        };
        var tallies = new Tallies(size);
        foreach (var (part, start, end) in Slices(from, to))
        {
            for (var i = start; i < end; i++)
            {
                var track = part.TrackIds[i];
                var key = keys is null ? track : (uint)track < (uint)keys.Length ? keys[track] : 0;
                if (key > 0)
                {
                    tallies.Add(key, part.Ms[i], part.MsReported[i]);
                }
            }
        }

        return tallies;
    }

    /// <summary>
    /// Per entry shown, the members who played it in [from, to), most plays first: one more walk over each member's
    /// slice of the log, counting only the <paramref name="ranked"/> keys (the top k, not every track).
    /// </summary>
    private List<Contributor>[] Contributors(TopKind kind, DateTimeOffset? from, DateTimeOffset? to, int[] ranked, IReadOnlyList<string> members)
    {
        var keys = kind switch
        {
            TopKind.Tracks => null,
            TopKind.Artists => catalog.ArtistOf,
            _ => catalog.AlbumOf,
        };
        // Slot + 1 of each shown key (0: not shown), indexed by key: an array read per play, no hashing.
        var slot = new int[ranked.Length == 0 ? 0 : ranked.Max() + 1];
        for (var r = 0; r < ranked.Length; r++)
        {
            slot[ranked[r]] = r + 1;
        }

        var counts = new long[ranked.Length];
        var result = new List<Contributor>[ranked.Length];
        for (var r = 0; r < ranked.Length; r++)
        {
            result[r] = [];
        }

        var slices = Slices(from, to);
        for (var m = 0; m < slices.Count; m++)
        {
            Array.Clear(counts);
            var (part, start, end) = slices[m];
            for (var i = start; i < end; i++)
            {
                var track = part.TrackIds[i];
                var key = keys is null ? track : (uint)track < (uint)keys.Length ? keys[track] : 0;
                if ((uint)key < (uint)slot.Length && slot[key] > 0)
                {
                    counts[slot[key] - 1]++;
                }
            }

            for (var r = 0; r < ranked.Length; r++)
            {
                if (counts[r] > 0)
                {
                    result[r].Add(new Contributor(members[m], counts[r]));
                }
            }
        }

        foreach (var list in result)
        {
            list.Sort((a, b) => b.Plays != a.Plays ? b.Plays.CompareTo(a.Plays) : string.CompareOrdinal(a.AccountId, b.AccountId));
        }

        return result;
    }

    private SortedSet<DateOnly> DaysWithPlays(int start, int end)
    {
        // Plays are sorted, so equal local dates come in runs: only a change of date touches the set.
        var days = new SortedSet<DateOnly>();
        var previous = int.MinValue;
        for (var i = start; i < end; i++)
        {
            var day = _clock.DayNumber(log.PlayedAt[i]);
            if (day != previous)
            {
                days.Add(DateOnly.FromDayNumber(day));
                previous = day;
            }
        }

        return days;
    }

    private Dictionary<DateOnly, (long Plays, long Ms)> DailyCounts(DateOnly first, DateOnly last)
    {
        var (start, end) = Slice(_clock.StartOf(first), _clock.EndOf(last));
        var counts = new Dictionary<DateOnly, (long Plays, long Ms)>();
        for (var i = start; i < end; i++)
        {
            var day = _clock.Date(log.PlayedAt[i]);
            var (p, m) = counts.GetValueOrDefault(day);
            counts[day] = (p + 1, m + log.Ms[i]);
        }

        return counts;
    }

    private static Streak? LongestRun(SortedSet<DateOnly> days)
    {
        Streak? best = null;
        DateOnly? runStart = null;
        DateOnly? previous = null;
        foreach (var day in days)
        {
            if (previous is not { } p || day.DayNumber != p.DayNumber + 1)
            {
                runStart = day;
            }

            var length = day.DayNumber - runStart!.Value.DayNumber + 1;
            if (best is null || length > best.Days)
            {
                best = new Streak(runStart.Value, day, length);
            }

            previous = day;
        }

        return best;
    }

    private static List<Discovery> Discovered(
        List<KeyValuePair<int, long>> found,
        Dictionary<int, long> first,
        int limit,
        Func<IReadOnlyCollection<int>, IReadOnlyDictionary<int, CatalogEntry>> lookup)
    {
        var top = found.OrderByDescending(f => f.Value).ThenBy(f => first[f.Key]).ThenBy(f => f.Key).Take(limit).ToList();
        var entries = lookup([.. top.Select(t => t.Key)]);
        return [.. top.Select(t =>
        {
            var entry = entries.GetValueOrDefault(t.Key);
            return new Discovery(entry?.SpotifyId, entry?.Name ?? "Unknown", entry?.Subtitle, DateTimeOffset.FromUnixTimeMilliseconds(first[t.Key]), t.Value);
        })];
    }

    /// <summary>A set of small positive ids (tracks, artists, albums are dense) as a growable bitmap; 0 is ignored.</summary>
    private sealed class DistinctIds
    {
        private bool[] _seen = new bool[1024];

        public int Count { get; private set; }

        public void Add(int id)
        {
            if (id <= 0)
            {
                return;
            }

            if (id >= _seen.Length)
            {
                Array.Resize(ref _seen, Math.Max(id + 1, _seen.Length * 2));
            }

            if (!_seen[id])
            {
                _seen[id] = true;
                Count++;
            }
        }
    }

    /// <summary>Plays and listening time per dense id (track, artist or album), in arrays.</summary>
    private sealed class Tallies(int size)
    {
        public long[] Plays { get; } = new long[size];

        private long[] Reported { get; } = new long[size];

        private long[] Estimated { get; } = new long[size];

        public void Add(int key, long ms, bool reported)
        {
            Plays[key]++;
            if (reported)
            {
                Reported[key] += ms;
            }
            else
            {
                Estimated[key] += ms;
            }
        }

        public ListeningTime Time(int key) => new(Reported[key] + Estimated[key], Reported[key], Estimated[key]);

        /// <summary>The best <paramref name="limit"/> keys with plays, best first (ties: the other measure, then id).</summary>
        public int[] Ranked(TopOrder by, int limit)
        {
            Comparison<int> order = by == TopOrder.Time ? ByTime : ByPlays;
            var worstFirst = Comparer<int>.Create((a, b) => order(b, a));
            var best = new PriorityQueue<int, int>(Math.Min(limit, 1024), worstFirst);
            var all = new List<int>();
            for (var key = 1; key < Plays.Length; key++)
            {
                if (Plays[key] == 0)
                {
                    continue;
                }

                if (limit == int.MaxValue)
                {
                    all.Add(key);
                }
                else if (best.Count < limit)
                {
                    best.Enqueue(key, key);
                }
                else if (order(key, best.Peek()) < 0)
                {
                    best.DequeueEnqueue(key, key);
                }
            }

            var ranked = limit == int.MaxValue ? [.. all] : best.UnorderedItems.Select(x => x.Element).ToArray();
            Array.Sort(ranked, order);
            return ranked;
        }

        private int ByPlays(int a, int b)
        {
            var c = Plays[b].CompareTo(Plays[a]);
            c = c != 0 ? c : Total(b).CompareTo(Total(a));
            return c != 0 ? c : a.CompareTo(b);
        }

        private int ByTime(int a, int b)
        {
            var c = Total(b).CompareTo(Total(a));
            c = c != 0 ? c : Plays[b].CompareTo(Plays[a]);
            return c != 0 ? c : a.CompareTo(b);
        }

        private long Total(int key) => Reported[key] + Estimated[key];
    }

    private sealed class Tally
    {
        public long Plays { get; private set; }

        public long ReportedMs { get; private set; }

        public long EstimatedMs { get; private set; }

        public long TotalMs => ReportedMs + EstimatedMs;

        public void Add(long ms, bool reported)
        {
            Plays++;
            if (reported)
            {
                ReportedMs += ms;
            }
            else
            {
                EstimatedMs += ms;
            }
        }

        public ListeningTime Time() => new(TotalMs, ReportedMs, EstimatedMs);
    }
}
