using System.Globalization;
using OrleansSpotify.Abstractions;

namespace OrleansSpotify.Storage.Tests.Stats;

/// <summary>One play as the oracle sees it: its end instant, local wall-clock time and catalogue ids (0: none).</summary>
internal sealed record OraclePlay(long At, DateTime Local, DateOnly Date, int Track, int Artist, int Album, int Ms, bool Reported, bool IsLocal = false);

/// <param name="Uri">A track's URI (ties between tracks go by name, then URI; artists and albums by name, then Spotify id).</param>
internal sealed record OracleName(string? SpotifyId, string Name, string? Uri = null);

/// <summary>The names of catalogue ids, taken from the generated catalogue (not from the engine's lookups).</summary>
internal sealed record OracleNames(
    IReadOnlyDictionary<int, OracleName> Tracks,
    IReadOnlyDictionary<int, OracleName> Artists,
    IReadOnlyDictionary<int, OracleName> Albums);

/// <summary>
/// The stats contract written as plain LINQ over a list of plays, one stat at a time, with no attempt at speed.
/// Returns the wire records; fields the contract leaves to the catalogue lookups (subtitles, images) are null.
/// The skip rule: a play whose source reported under 30 s of listening is a skip, counted in the summary's
/// <c>Skips</c> and in no other stat; a play of estimated length is never a skip.
/// </summary>
internal sealed class StatsOracle(IReadOnlyList<OraclePlay> allPlays, OracleNames names, TimeZoneInfo zone, DateTimeOffset now)
{
    private readonly List<OraclePlay> plays = [.. allPlays.Where(p => !IsSkip(p))];

    private static bool IsSkip(OraclePlay play) => play.Reported && play.Ms < 30_000;

    public SummaryStats Summary(StatsRequest request)
    {
        var inRange = InRange(request.From, request.To);
        var reported = inRange.Where(p => p.Reported).Sum(p => (long)p.Ms);
        var estimated = inRange.Where(p => !p.Reported).Sum(p => (long)p.Ms);
        var total = reported + estimated;
        var days = DayCount(request, inRange);
        return new SummaryStats(
            inRange.Count,
            new ListeningTime(total, reported, estimated),
            inRange.Select(p => p.Track).Distinct().Count(),
            inRange.Where(p => p.Artist > 0).Select(p => p.Artist).Distinct().Count(),
            inRange.Where(p => p.Album > 0).Select(p => p.Album).Distinct().Count(),
            inRange.Count > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(inRange.Min(p => p.At)) : null,
            inRange.Count > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(inRange.Max(p => p.At)) : null,
            days,
            days > 0 ? Math.Round((double)inRange.Count / days, 3) : 0,
            days > 0 ? Math.Round((double)total / days, 3) : 0,
            allPlays.Count(p => IsSkip(p) && (request.From is null || p.At >= request.From.Value.ToUnixTimeMilliseconds()) && (request.To is null || p.At < request.To.Value.ToUnixTimeMilliseconds())),
            inRange.Count(p => p.IsLocal));
    }

    public TopList Top(TopKind kind, StatsRequest request)
    {
        var current = Ranked(kind, request.By, InRange(request.From, request.To));
        DateTimeOffset? previousFrom = null, previousTo = null;
        Dictionary<int, int>? previousRanks = null;
        if (request.From is { } from && request.To is { } to)
        {
            previousTo = from;
            previousFrom = from - (to - from);
            previousRanks = Ranked(kind, request.By, InRange(previousFrom, previousTo))
                .Select((tally, index) => (tally.Id, Rank: index + 1))
                .ToDictionary(x => x.Id, x => x.Rank);
        }

        var items = current.Take(request.Limit).Select((tally, index) =>
        {
            var name = Name(kind, tally.Id);
            return new TopEntry(
                index + 1,
                name.SpotifyId,
                name.Name,
                null,
                null,
                tally.Plays,
                new ListeningTime(tally.Reported + tally.Estimated, tally.Reported, tally.Estimated),
                previousRanks is not null && previousRanks.TryGetValue(tally.Id, out var rank) ? rank : null);
        }).ToList();
        return new TopList(kind, request.By, previousFrom, previousTo, items);
    }

    public Heatmap Heatmap(StatsRequest request)
    {
        var inRange = InRange(request.From, request.To);
        var weekdays = new[] { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday, DayOfWeek.Saturday, DayOfWeek.Sunday };
        var byCell = inRange.ToLookup(p => (p.Local.DayOfWeek, p.Local.Hour));
        var cells = weekdays.Select(day => Enumerable.Range(0, 24).Select(hour => byCell[(day, hour)].ToList()).ToArray()).ToArray();
        return new Heatmap(
            [.. cells.Select(row => row.Select(cell => (long)cell.Count).ToArray())],
            [.. cells.Select(row => row.Select(cell => cell.Sum(p => (long)p.Ms)).ToArray())]);
    }

    public Timeline Timeline(StatsRequest request)
    {
        var inRange = InRange(request.From, request.To);
        DateOnly? first = request.From is { } from ? OracleTime.LocalDate(zone, from) : inRange.Count > 0 ? inRange.MinBy(p => p.At)!.Date : null;
        var today = OracleTime.LocalDate(zone, now);
        DateOnly? last = request.To is { } to ? new[] { OracleTime.LocalDate(zone, to.AddMilliseconds(-1)), today }.Min() : inRange.Count > 0 ? inRange.MaxBy(p => p.At)!.Date : null;
        if (first is not { } a || last is not { } b)
        {
            return new Timeline(request.Bucket, []);
        }

        var byBucket = inRange.GroupBy(p => Bucket(p.Date, request.Bucket)).ToDictionary(g => g.Key, g => (Plays: g.LongCount(), Ms: g.Sum(p => (long)p.Ms)));
        var buckets = Enumerable.Range(0, Math.Max(0, b.DayNumber - a.DayNumber + 1)).Select(a.AddDays).Select(d => Bucket(d, request.Bucket)).Distinct();
        return new Timeline(request.Bucket, [.. buckets.Select(bucket =>
        {
            var (count, ms) = byBucket.GetValueOrDefault(bucket);
            return new TimelinePoint(bucket, count, ms);
        })]);
    }

    public StreakStats Streaks(StatsRequest request)
    {
        var longest = LongestRun(InRange(request.From, request.To).Select(p => p.Date));

        var today = OracleTime.LocalDate(zone, now);
        var allDays = plays.Select(p => p.Date).ToHashSet();
        Streak? current = null;
        if (allDays.Count > 0)
        {
            var lastDay = allDays.Max();
            if (lastDay == today || lastDay == today.AddDays(-1))
            {
                var firstDay = lastDay;
                while (allDays.Contains(firstDay.AddDays(-1)))
                {
                    firstDay = firstDay.AddDays(-1);
                }

                current = new Streak(firstDay, lastDay, lastDay.DayNumber - firstDay.DayNumber + 1);
            }
        }

        var year = request.Year ?? (request.To is { } to ? OracleTime.LocalDate(zone, to.AddMilliseconds(-1)).Year : today.Year);
        var perDay = plays.Where(p => p.Date.Year == year).GroupBy(p => p.Date).ToDictionary(g => g.Key, g => (Plays: g.LongCount(), Ms: g.Sum(p => (long)p.Ms)));
        var calendar = Enumerable.Range(0, DateTime.IsLeapYear(year) ? 366 : 365)
            .Select(n => new DateOnly(year, 1, 1).AddDays(n))
            .Select(day => new DayCount(day, perDay.GetValueOrDefault(day).Plays, perDay.GetValueOrDefault(day).Ms))
            .ToList();
        return new StreakStats(current, longest, year, calendar);
    }

    public Discoveries Discoveries(StatsRequest request)
    {
        var toMs = request.To?.ToUnixTimeMilliseconds() ?? long.MaxValue;
        var fromMs = request.From?.ToUnixTimeMilliseconds() ?? long.MinValue;
        var upToEnd = plays.Where(p => p.At < toMs).ToList();
        var inRange = InRange(request.From, request.To);

        List<(int Id, long Plays, long First)> Found(Func<OraclePlay, int> key, TopKind kind)
        {
            var firstEver = upToEnd.Where(p => key(p) > 0).GroupBy(key).ToDictionary(g => g.Key, g => g.Min(p => p.At));
            return [.. inRange.Where(p => key(p) > 0)
                .GroupBy(key)
                .Where(g => firstEver[g.Key] >= fromMs)
                .Select(g => (Id: g.Key, Plays: g.LongCount(), First: firstEver[g.Key]))
                .OrderByDescending(x => x.Plays)
                .ThenBy(x => x.First)
                .ThenBy(x => Name(kind, x.Id).Name, StringComparer.Ordinal)
                .ThenBy(x => SortUri(kind, x.Id), StringComparer.Ordinal)];
        }

        List<Discovery> Listed(List<(int Id, long Plays, long First)> found, IReadOnlyDictionary<int, OracleName> lookup) =>
            [.. found.Take(request.Limit).Select(f => new Discovery(lookup[f.Id].SpotifyId, lookup[f.Id].Name, null, DateTimeOffset.FromUnixTimeMilliseconds(f.First), f.Plays))];

        var tracks = Found(p => p.Track, TopKind.Tracks);
        var artists = Found(p => p.Artist, TopKind.Artists);
        return new Discoveries(tracks.Count, artists.Count, Listed(tracks, names.Tracks), Listed(artists, names.Artists));
    }

    public SessionStats Sessions(StatsRequest request)
    {
        var gap = request.SessionGapMinutes * 60_000L;
        var sessions = new List<(long Start, long End, int Plays, long Ms)>();
        foreach (var play in InRange(request.From, request.To).OrderBy(p => p.At))
        {
            var start = play.At - play.Ms;
            if (sessions.Count > 0 && start - sessions[^1].End <= gap)
            {
                var s = sessions[^1];
                sessions[^1] = (Math.Min(s.Start, start), Math.Max(s.End, play.At), s.Plays + 1, s.Ms + play.Ms);
            }
            else
            {
                sessions.Add((start, play.At, 1, play.Ms));
            }
        }

        var average = sessions.Count > 0 ? sessions.Sum(s => s.End - s.Start) / sessions.Count : 0;
        var longest = sessions
            .OrderByDescending(s => s.End - s.Start)
            .ThenBy(s => s.Start)
            .Take(request.Limit)
            .Select(s => new ListeningSession(DateTimeOffset.FromUnixTimeMilliseconds(s.Start), DateTimeOffset.FromUnixTimeMilliseconds(s.End), s.Plays, s.Ms))
            .ToList();
        return new SessionStats(sessions.Count, average, request.SessionGapMinutes, longest);
    }

    public YearReview YearReview(int year, StatsRequest request)
    {
        var range = request with
        {
            From = OracleTime.StartOfDay(zone, new DateOnly(year, 1, 1)),
            To = OracleTime.StartOfDay(zone, new DateOnly(year + 1, 1, 1)),
            Year = year,
        };
        var inYear = InRange(range.From, range.To);
        var busiest = inYear
            .GroupBy(p => p.Date)
            .Select(g => new DayCount(g.Key, g.LongCount(), g.Sum(p => (long)p.Ms)))
            .OrderByDescending(d => d.Plays)
            .ThenBy(d => d.Date)
            .FirstOrDefault();
        return new YearReview(
            year,
            Summary(range),
            Top(TopKind.Tracks, range),
            Top(TopKind.Artists, range),
            Top(TopKind.Albums, range),
            busiest,
            LongestRun(inYear.Select(p => p.Date)),
            Discoveries(range));
    }

    private List<OraclePlay> InRange(DateTimeOffset? from, DateTimeOffset? to) =>
        [.. plays.Where(p => (from is null || p.At >= from.Value.ToUnixTimeMilliseconds()) && (to is null || p.At < to.Value.ToUnixTimeMilliseconds()))];

    private int DayCount(StatsRequest request, List<OraclePlay> inRange)
    {
        DateOnly? first = request.From is { } from ? OracleTime.LocalDate(zone, from) : inRange.Count > 0 ? inRange.MinBy(p => p.At)!.Date : null;
        var today = OracleTime.LocalDate(zone, now);
        DateOnly? last = request.To is { } to ? new[] { OracleTime.LocalDate(zone, to.AddMilliseconds(-1)), today }.Min() : inRange.Count > 0 ? inRange.MaxBy(p => p.At)!.Date : null;
        return first is { } a && last is { } b && b >= a ? (int)(b.ToDateTime(TimeOnly.MinValue) - a.ToDateTime(TimeOnly.MinValue)).TotalDays + 1 : 0;
    }

    /// <summary>Best first; ties on both measures by name, then URI or Spotify id (ordinal, none first), never by row id.</summary>
    private List<(int Id, long Plays, long Reported, long Estimated)> Ranked(TopKind kind, TopOrder by, List<OraclePlay> inRange)
    {
        var tallies = inRange
            .Select(p => (Key: kind switch { TopKind.Tracks => p.Track, TopKind.Artists => p.Artist, _ => p.Album }, Play: p))
            .Where(x => x.Key > 0)
            .GroupBy(x => x.Key)
            .Select(g => (Id: g.Key, Plays: g.LongCount(), Reported: g.Where(x => x.Play.Reported).Sum(x => (long)x.Play.Ms), Estimated: g.Where(x => !x.Play.Reported).Sum(x => (long)x.Play.Ms)));
        return by == TopOrder.Time
            ? [.. tallies.OrderByDescending(t => t.Reported + t.Estimated).ThenByDescending(t => t.Plays).ThenBy(t => Name(kind, t.Id).Name, StringComparer.Ordinal).ThenBy(t => SortUri(kind, t.Id), StringComparer.Ordinal)]
            : [.. tallies.OrderByDescending(t => t.Plays).ThenByDescending(t => t.Reported + t.Estimated).ThenBy(t => Name(kind, t.Id).Name, StringComparer.Ordinal).ThenBy(t => SortUri(kind, t.Id), StringComparer.Ordinal)];
    }

    private string? SortUri(TopKind kind, int id)
    {
        var name = Name(kind, id);
        return name.Uri ?? name.SpotifyId;
    }

    private OracleName Name(TopKind kind, int id) => (kind switch
    {
        TopKind.Tracks => names.Tracks,
        TopKind.Artists => names.Artists,
        _ => names.Albums,
    })[id];

    /// <summary>The longest run of consecutive dates; the earliest wins ties.</summary>
    private static Streak? LongestRun(IEnumerable<DateOnly> dates)
    {
        var runs = new List<Streak>();
        foreach (var day in dates.Distinct().Order())
        {
            if (runs.Count > 0 && runs[^1].End.AddDays(1) == day)
            {
                runs[^1] = runs[^1] with { End = day, Days = runs[^1].Days + 1 };
            }
            else
            {
                runs.Add(new Streak(day, day, 1));
            }
        }

        return runs.OrderByDescending(r => r.Days).ThenBy(r => r.Start).FirstOrDefault();
    }

    /// <summary>The first day of the bucket: the ISO week's Monday (via <see cref="ISOWeek"/>), the month's first.</summary>
    private static DateOnly Bucket(DateOnly day, TimelineBucket bucket)
    {
        var date = day.ToDateTime(TimeOnly.MinValue);
        return bucket switch
        {
            TimelineBucket.Week => DateOnly.FromDateTime(ISOWeek.ToDateTime(ISOWeek.GetYear(date), ISOWeek.GetWeekOfYear(date), DayOfWeek.Monday)),
            TimelineBucket.Month => new DateOnly(day.Year, day.Month, 1),
            _ => day,
        };
    }
}
