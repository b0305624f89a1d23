using System.Globalization;
using OrleansSpotify.FakeSpotify;

namespace OrleansSpotify.Benchmarks.Simulation;

/// <summary>
/// Generates a household's week of listening, deterministic for a seed: five members with their own taste, amount
/// (about 3–4 h a day on average, varied by day and member) and hours; sessions of music (natural ends, skips in chains
/// and right after an end, mid-track "next", repeats, pauses, some over a track's end, seeks forward and back),
/// podcast episodes, local files and private sessions; offline commutes backfilled later with older <c>played_at</c>,
/// one long flight whose plays pile up beyond the 50 recently-played keeps (a real gap), and two service outages.
/// </summary>
public static class WeekGenerator
{
    public const int MemberCount = 5;

    /// <summary>A Monday; the week runs from its midnight (UTC).</summary>
    public static readonly DateTimeOffset DefaultStart = new(2026, 11, 23, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Plays must end (and be visible) this long before the end of the run, so every strategy had its chance.</summary>
    public static readonly TimeSpan Tail = TimeSpan.FromMinutes(15);

    /// <summary>The member who takes the flight.</summary>
    public const int FlyingMember = 2;

    /// <summary>How many listable plays the flight piles up (more than recently-played's 50).</summary>
    public const int FlightListablePlays = 75;

    private static readonly string[] Names = ["Ada", "Bo", "Cleo", "Dev", "Ezra"];

    /// <summary>Base minutes a day per member (before the day's factor).</summary>
    private static readonly int[] BaseMinutes = [235, 190, 205, 260, 175];

    private static readonly TimeSpan[] SlotStarts =
    [
        TimeSpan.FromHours(6.5), TimeSpan.FromHours(11.5), TimeSpan.FromHours(15), TimeSpan.FromHours(19),
    ];

    private static readonly TimeSpan[] SlotLengths =
    [
        TimeSpan.FromHours(3), TimeSpan.FromHours(2.5), TimeSpan.FromHours(3), TimeSpan.FromHours(4),
    ];

    public static SimulatedWeek Generate(int seed, int days, DateTimeOffset? start = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(days, 1);
        var from = start ?? DefaultStart;
        var end = from.AddDays(days);
        var catalog = FakeCatalog.Generate(seed, trackCount: 1200, artistCount: 200);
        var outages = Outages(from, days);
        var flightDay = days >= 4 ? 3 : 0;
        var plays = new List<TruePlay>();
        for (var member = 0; member < MemberCount; member++)
        {
            var random = new Random(unchecked((seed * 7919) + (member * 104_729) + 17));
            var listener = new MemberListener(member, random, catalog);
            var cursor = from;
            for (var day = 0; day < days; day++)
            {
                var dayStart = from.AddDays(day);
                foreach (var session in PlanDay(random, member, day, dayStart, flight: member == FlyingMember && day == flightDay))
                {
                    var sessionStart = session.Start < cursor + TimeSpan.FromMinutes(5) ? cursor + TimeSpan.FromMinutes(5) : session.Start;
                    cursor = listener.Play(session with { Start = sessionStart });
                }
            }

            plays.AddRange(listener.Plays);
        }

        var kept = plays
            .Where(p => p.End <= end - Tail && p.VisibleAt <= end - Tail)
            .OrderBy(p => p.Start).ThenBy(p => p.Member)
            .ToList();
        var gaps = new List<RealGap>();
        for (var member = 0; member < MemberCount; member++)
        {
            gaps.AddRange(MarkLost(member, kept.Where(p => p.Member == member && p.Listable).ToList(), outages, end));
        }

        return new SimulatedWeek(seed, catalog, from, end, Names, kept, outages, gaps);
    }

    /// <summary>Two outages of an hour: an evening early in the run and a morning late in it (both on day one of a one-day run).</summary>
    private static List<Outage> Outages(DateTimeOffset from, int days)
    {
        var evening = from.AddDays(days >= 3 ? 1 : 0).AddHours(19.5);
        var morning = from.AddDays(days >= 3 ? days - 2 : days - 1).AddHours(8);
        return [.. new[] { new Outage(evening, evening.AddHours(1)), new Outage(morning, morning.AddHours(1)) }.OrderBy(o => o.From)];
    }

    /// <summary>
    /// Marks listable plays no read could ever return: at every moment a read was possible (each time a play became
    /// visible, outside outages, and at each outage's end), recently-played served the 50 newest visible plays; a play
    /// never among them is lost. Consecutive lost plays form one real gap.
    /// </summary>
    public static List<RealGap> MarkLost(int member, List<TruePlay> listable, IReadOnlyList<Outage> outages, DateTimeOffset end)
    {
        var moments = listable.Select(p => p.VisibleAt)
            .Concat(outages.Select(o => o.To))
            .Append(end)
            .Where(t => t <= end && !outages.Any(o => o.Contains(t)))
            .Distinct()
            .Order()
            .ToList();
        var byEnd = listable.OrderByDescending(p => p.End).ToList();
        var reached = new HashSet<TruePlay>(ReferenceEqualityComparer.Instance);
        foreach (var moment in moments)
        {
            foreach (var play in byEnd.Where(p => p.VisibleAt <= moment).Take(PlayerEndpointsLimit))
            {
                reached.Add(play);
            }
        }

        var gaps = new List<RealGap>();
        List<TruePlay>? run = null;
        foreach (var play in listable.OrderBy(p => p.End))
        {
            play.LostInGap = !reached.Contains(play);
            if (play.LostInGap)
            {
                (run ??= []).Add(play);
            }
            else if (run is not null)
            {
                gaps.Add(new RealGap(member, run[0].End, run[^1].End, run.Count));
                run = null;
            }
        }

        if (run is not null)
        {
            gaps.Add(new RealGap(member, run[0].End, run[^1].End, run.Count));
        }

        return gaps;
    }

    /// <summary>How many plays recently-played keeps.</summary>
    public const int PlayerEndpointsLimit = 50;

    private static IEnumerable<Session> PlanDay(Random random, int member, int day, DateTimeOffset dayStart, bool flight)
    {
        var weekend = dayStart.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;
        var factor = 0.45 + (random.NextDouble() * 1.1) + (weekend ? 0.15 : 0);
        var minutes = BaseMinutes[member] * factor;
        if (flight)
        {
            var takeOff = dayStart.AddHours(9);
            yield return new Session(takeOff, TimeSpan.MaxValue, SessionKind.Flight);

            // Right after landing the member listens online, so the flight's plays are backfilled behind newer visible ones.
            yield return new Session(takeOff.AddHours(6.5), TimeSpan.FromMinutes(70), SessionKind.Music);
            yield return new Session(dayStart.AddHours(20), TimeSpan.FromMinutes(Math.Max(30, minutes / 3)), SessionKind.Music);
            yield break;
        }

        var count = random.Next(2, 5);
        var slots = Enumerable.Range(0, SlotStarts.Length).OrderBy(_ => random.Next()).Take(count).Order().ToList();
        var weights = slots.Select(_ => 0.5 + random.NextDouble()).ToList();
        var total = weights.Sum();
        for (var i = 0; i < slots.Count; i++)
        {
            var slot = slots[i];
            var length = TimeSpan.FromMinutes(Math.Max(8, minutes * weights[i] / total));
            var latest = SlotLengths[slot] - length;
            var offset = latest > TimeSpan.Zero ? TimeSpan.FromMinutes(random.NextDouble() * latest.TotalMinutes) : TimeSpan.Zero;
            var kind = random.NextDouble() switch
            {
                < 0.10 => SessionKind.Podcast,
                < 0.16 => SessionKind.Private,
                < 0.21 => SessionKind.Local,
                < 0.31 => SessionKind.OfflineMusic,
                _ => SessionKind.Music,
            };
            if (kind == SessionKind.OfflineMusic)
            {
                // A commute or a walk without a connection: an hour at most.
                length = TimeSpan.FromMinutes(Math.Min(60, length.TotalMinutes));
            }

            yield return new Session(dayStart + SlotStarts[slot] + offset, length, kind);
        }
    }

    private enum SessionKind
    {
        Music,
        Private,
        Local,
        Podcast,
        OfflineMusic,
        Flight,
    }

    private sealed record Session(DateTimeOffset Start, TimeSpan Length, SessionKind Kind);

    /// <summary>One member's listening: taste, local files, and the plays so far.</summary>
    private sealed class MemberListener
    {
        private readonly int _member;
        private readonly Random _random;
        private readonly FakeCatalog _catalog;
        private readonly List<FakeTrack> _taste;
        private readonly List<FakeLocalTrack> _localFiles;
        private readonly List<(List<TruePlay> Plays, DateTimeOffset End)> _offline = [];
        private readonly List<TruePlay> _plays = [];

        public MemberListener(int member, Random random, FakeCatalog catalog)
        {
            _member = member;
            _random = random;
            _catalog = catalog;
            _taste = [.. catalog.Tracks.OrderBy(_ => random.Next()).Take(220)];
            _localFiles = [.. Enumerable.Range(1, 12).Select(i => new FakeLocalTrack(
                string.Create(CultureInfo.InvariantCulture, $"Demo take {member}-{i}"),
                TimeSpan.FromMilliseconds(random.Next(120_000, 330_000)),
                Names[member] + "'s band",
                "Garage tapes"))];
        }

        public IEnumerable<TruePlay> Plays
        {
            get
            {
                FinishOffline(null);
                return _plays;
            }
        }

        /// <summary>Plays a session; returns when it ended.</summary>
        public DateTimeOffset Play(Session session)
        {
            // One offline stretch pending at a time (two in a row would pile up as one).
            if (session.Kind == SessionKind.OfflineMusic && _offline.Count > 0)
            {
                session = session with { Kind = SessionKind.Music };
            }

            // An offline stretch becomes visible once the member is back online and has listened to music a while:
            // its plays are backfilled behind newer ones (a stretch with no music session after it falls outside the run).
            if (session.Kind == SessionKind.Music)
            {
                FinishOffline(session.Start + TimeSpan.FromMinutes(15 + _random.Next(20)));
            }

            var t = session.Start;
            var until = session.Length == TimeSpan.MaxValue ? DateTimeOffset.MaxValue : session.Start + session.Length;
            var offline = session.Kind is SessionKind.OfflineMusic or SessionKind.Flight;
            var stretch = new List<TruePlay>();
            FakeTrack? previous = null;
            var previousWasSkip = false;
            var previousNatural = false;
            FakeTrack? repeatNext = null;
            var listable = 0;
            while (session.Kind == SessionKind.Flight ? listable < FlightListablePlays : t < until)
            {
                TruePlay play;
                switch (session.Kind)
                {
                    case SessionKind.Podcast:
                        play = Episode(t);
                        break;
                    case SessionKind.Local:
                        play = Local(t);
                        break;
                    default:
                        var track = repeatNext ?? PickTrack(previous);
                        repeatNext = null;
                        (play, var repeat) = Track(t, track, session.Kind == SessionKind.Private, offline, previousWasSkip, previousNatural);
                        if (repeat)
                        {
                            repeatNext = track;
                        }

                        previous = track;
                        break;
                }

                previousWasSkip = play.Kind == PlayKind.Skip || (play.Kind == PlayKind.Private && play.MsPlayed < TimeSpan.FromSeconds(30));
                previousNatural = play.NaturalEnd;
                _plays.Add(play);
                if (offline)
                {
                    stretch.Add(play);
                }

                if (play.Listable)
                {
                    listable++;
                }

                t = play.End;
            }

            if (offline)
            {
                _offline.Add((stretch, t));
            }

            return t;
        }

        /// <summary>Gives the pending offline stretches their <c>VisibleFrom</c> (the device back online at <paramref name="at"/>).</summary>
        private void FinishOffline(DateTimeOffset? at)
        {
            foreach (var (plays, end) in _offline)
            {
                var visible = at ?? DateTimeOffset.MaxValue;
                foreach (var play in plays)
                {
                    var index = _plays.IndexOf(play);
                    _plays[index] = play with { Script = play.Script with { VisibleFrom = visible } };
                }
            }

            _offline.Clear();
        }

        private FakeTrack PickTrack(FakeTrack? previous)
        {
            while (true)
            {
                var u = _random.NextDouble();
                var track = _taste[(int)(_taste.Count * u * u)];
                if (!ReferenceEquals(track, previous))
                {
                    return track;
                }
            }
        }

        private TruePlay Episode(DateTimeOffset t)
        {
            var episode = _catalog.Episodes[_random.Next(_catalog.Episodes.Count)];
            var full = _random.NextDouble() < 0.6;
            var played = full ? episode.Duration : Ms(episode.Duration.TotalMilliseconds * (0.3 + (0.6 * _random.NextDouble())));
            return new TruePlay(_member, new ScriptedPlay(t, episode, played, episode.ShowUri), PlayKind.Episode, played, full);
        }

        private TruePlay Local(DateTimeOffset t)
        {
            var file = _localFiles[_random.Next(_localFiles.Count)];
            var skip = _random.NextDouble() < 0.15;
            var played = skip ? SkipLength() : file.Duration;
            return new TruePlay(_member, new ScriptedPlay(t, file, played), PlayKind.Local, played, !skip);
        }

        /// <summary>One track play and whether the next play repeats it.</summary>
        private (TruePlay Play, bool RepeatNext) Track(DateTimeOffset t, FakeTrack track, bool isPrivate, bool offline, bool inSkipChain, bool afterNaturalEnd)
        {
            var duration = track.Duration;
            var r = _random.NextDouble();
            ScriptedPlay script;
            var natural = true;
            var msPlayed = duration;
            var repeat = false;
            var context = track.Album.Uri;
            if ((inSkipChain && r < 0.5) || (afterNaturalEnd && r < 0.06) || (r is >= 0.5 and < 0.63))
            {
                // A skip: with "next" a few seconds into the track, or a while later; right after an end it is quick.
                var length = afterNaturalEnd && !inSkipChain && r < 0.06 ? Ms(1_000 + _random.Next(2_000)) : SkipLength();
                script = new ScriptedPlay(t, track, length, context, isPrivate);
                natural = false;
                msPlayed = length;
            }
            else if (r is >= 0.63 and < 0.70 && duration > TimeSpan.FromSeconds(60))
            {
                // "Next" in the middle of the track, after 30 s or more.
                var length = Ms(30_000 + (_random.NextDouble() * (duration.TotalMilliseconds - 40_000)));
                script = new ScriptedPlay(t, track, length, context, isPrivate);
                natural = false;
                msPlayed = length;
            }
            else if (r is >= 0.70 and < 0.74 && duration > TimeSpan.FromSeconds(90))
            {
                // A pause: a third of them over the track's end (paused seconds before it, resumed minutes later).
                var overEnd = _random.NextDouble() < 0.35;
                var at = overEnd
                    ? duration - Ms(3_000 + _random.Next(12_000))
                    : Ms(30_000 + (_random.NextDouble() * (duration.TotalMilliseconds - 60_000)));
                var length = overEnd ? Ms(120_000 + _random.Next(1_400_000)) : Ms(60_000 + _random.Next(540_000));
                script = new ScriptedPlay(t, track, duration + length, context, isPrivate) { Pauses = [new ScriptedPause(at, length)] };
            }
            else if (r is >= 0.74 and < 0.78 && duration > TimeSpan.FromSeconds(90))
            {
                // A seek, forward or back; the track then plays to its end.
                ScriptedSeek seek;
                if (_random.NextDouble() < 0.5)
                {
                    var at = Ms(20_000 + (_random.NextDouble() * ((duration.TotalMilliseconds / 2) - 20_000)));
                    var to = at + Ms(10_000 + (_random.NextDouble() * (duration - at - TimeSpan.FromSeconds(25)).TotalMilliseconds));
                    seek = new ScriptedSeek(at, to);
                }
                else
                {
                    var at = Ms(60_000 + (_random.NextDouble() * (duration.TotalMilliseconds - 70_000)));
                    var to = Ms(_random.NextDouble() * (at.TotalMilliseconds - 30_000));
                    seek = new ScriptedSeek(at, to);
                }

                var wall = seek.At + (duration - seek.To);
                script = new ScriptedPlay(t, track, wall, context, isPrivate) { Seeks = [seek] };
                msPlayed = wall;
            }
            else
            {
                script = new ScriptedPlay(t, track, duration, context, isPrivate);
                repeat = r > 0.96;
            }

            script = script with { Offline = offline };
            var kind = isPrivate ? PlayKind.Private : msPlayed >= TimeSpan.FromSeconds(30) ? PlayKind.Music : PlayKind.Skip;
            return (new TruePlay(_member, script, kind, msPlayed, natural), repeat);
        }

        /// <summary>Under 30 s: many in the first seconds, some later.</summary>
        private TimeSpan SkipLength() => _random.NextDouble() switch
        {
            < 0.5 => Ms(800 + _random.Next(4_200)),
            < 0.8 => Ms(5_000 + _random.Next(10_000)),
            _ => Ms(15_000 + _random.Next(14_500)),
        };

        private static TimeSpan Ms(double milliseconds) => TimeSpan.FromMilliseconds(Math.Round(milliseconds));
    }
}
