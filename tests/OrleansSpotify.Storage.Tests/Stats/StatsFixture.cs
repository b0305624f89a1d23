using System.Collections.Concurrent;
using OrleansSpotify.Abstractions;
using OrleansSpotify.Storage.Stats;

[assembly: AssemblyFixture(typeof(OrleansSpotify.Storage.Tests.Stats.StatsFixture))]

namespace OrleansSpotify.Storage.Tests.Stats;

/// <summary>
/// One real SQLite database with generated plays for a few accounts over three years, written through
/// <see cref="PlayWriter"/> and read back through <see cref="PlayLogReader"/> and <see cref="CatalogCache"/>; and, for
/// the oracle, the same plays with the catalogue ids the database gave them. An assembly fixture, so that the stats
/// test classes share it and still run in parallel: it is read-only but for a concurrent cache of oracle views.
/// </summary>
public sealed class StatsFixture : IDisposable
{
    public const string Alex = "alex";

    /// <summary>Alex's plays again, written shuffled in batches of random sizes.</summary>
    public const string AlexShuffled = "alex-shuffled";

    public const string Sam = "sam";

    public const string Kim = "kim";

    /// <summary>An account without plays.</summary>
    public const string Empty = "empty";

    public static readonly IReadOnlyList<string> Zones = ["UTC", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kathmandu", "America/Santiago"];

    public static readonly IReadOnlyList<string> Accounts = [Alex, Sam, Kim];

    /// <summary>
    /// Ranges as local dates [From, To) in the zone of the request; null: unbounded. The four-week ranges contain
    /// DST changes (New York and Berlin in March, Lord Howe and Berlin in October) or start on the day Santiago's
    /// midnight does not exist; "none" has no plays, nor has the period before it.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, (DateOnly? From, DateOnly? To)> Ranges = new Dictionary<string, (DateOnly?, DateOnly?)>
    {
        ["all"] = (null, null),
        ["4w-2025-03-03"] = (new DateOnly(2025, 3, 3), new DateOnly(2025, 3, 31)),
        ["4w-2025-10-04"] = (new DateOnly(2025, 10, 4), new DateOnly(2025, 11, 1)),
        ["4w-2025-09-07"] = (new DateOnly(2025, 9, 7), new DateOnly(2025, 10, 5)),
        ["1y-2024-11-15"] = (new DateOnly(2024, 11, 15), new DateOnly(2025, 11, 15)),
        ["from-2025-06-01"] = (new DateOnly(2025, 6, 1), null),
        ["to-2024-02-01"] = (null, new DateOnly(2024, 2, 1)),
        ["none"] = (new DateOnly(2021, 1, 1), new DateOnly(2021, 1, 29)),
    };

    /// <summary>The engine's clock in most tests: the day after Alex's and Sam's last generated day.</summary>
    public static readonly DateTimeOffset Now = new(2026, 5, 21, 10, 0, 0, TimeSpan.Zero);

    private static readonly DateOnly FirstDay = new(2023, 6, 1);
    private static readonly DateOnly LastDay = new(2026, 5, 20);

    private readonly TestDatabase _db = new();
    private readonly Dictionary<string, List<PlayRecord>> _records = [];
    private readonly Dictionary<string, PlayLog> _logs = [];
    private readonly ConcurrentDictionary<(string Account, string Zone), IReadOnlyList<OraclePlay>> _views = new();

    /// <summary>Zone x range x account: the cases of the range-dependent stats.</summary>
    public static TheoryData<string, string, string> ZonesRangesAccounts
    {
        get
        {
            var data = new TheoryData<string, string, string>();
            foreach (var zone in Zones)
            {
                foreach (var range in Ranges.Keys)
                {
                    foreach (var account in Accounts)
                    {
                        data.Add(zone, range, account);
                    }
                }
            }

            return data;
        }
    }

    public StatsFixture()
    {
        Catalogue = new StatsCatalogue(7);
        var transitions = Zones
            .SelectMany(z => OracleTime.Transitions(Zone(z), FirstDay.AddDays(-1), LastDay.AddDays(1)))
            .Distinct()
            .Order()
            .ToList();
        var random = new Random(99);
        var midnightDates = Ranges.Values.SelectMany(r => new[] { r.From, r.To }).OfType<DateOnly>()
            .Concat([new DateOnly(2024, 1, 1), new DateOnly(2025, 1, 1), new DateOnly(2026, 1, 1)])
            .Concat(Zones.SelectMany(z => transitions.Select(t => OracleTime.LocalDate(Zone(z), t))))
            .Concat(Enumerable.Range(0, 20).Select(_ => FirstDay.AddDays(random.Next(LastDay.DayNumber - FirstDay.DayNumber))))
            .Where(d => d >= FirstDay)   // the "none" range stays empty
            .Distinct()
            .ToList();
        var midnights = Zones
            .SelectMany(z => midnightDates.Select(d => OracleTime.StartOfDay(Zone(z), d).ToUnixTimeMilliseconds()))
            .Distinct()
            .Order()
            .ToList();

        _records[Alex] = StatsDataSet.Generate(Catalogue, new ListenerProfile(11, FirstDay, LastDay, 0.55, 12, 1.0, 1.0), transitions, midnights);
        _records[Sam] = StatsDataSet.Generate(Catalogue, new ListenerProfile(22, new DateOnly(2023, 9, 15), LastDay.AddDays(1), 0.35, 5, 0.5, 0.5), transitions, midnights);
        _records[Kim] = StatsDataSet.Generate(Catalogue, new ListenerProfile(33, new DateOnly(2024, 2, 10), new DateOnly(2025, 12, 24), 0.2, 0, 0.2, 0), [], []);
        var shuffled = _records[Alex].OrderBy(_ => random.Next()).ToList();
        _records[AlexShuffled] = shuffled;
        _records[Empty] = [];

        foreach (var account in _records.Keys)
        {
            _db.Accounts.Upsert(account, account, account, TestDatabase.T0, TestDatabase.T0);
        }

        using (var writer = new PlayWriter(_db.Database))
        {
            void Write(string account, IEnumerable<PlayRecord> plays, int batch)
            {
                foreach (var chunk in plays.Chunk(batch))
                {
                    writer.Write([.. chunk.Select(p => new PendingPlay(account, p))]);
                }
            }

            Write(Alex, _records[Alex].OrderBy(p => p.PlayedAt), 1000);          // in time order: the log needs no sorting
            Write(Alex, _records[Alex].OrderBy(p => p.PlayedAt).Take(300), 300);  // a re-read: nothing new
            Write(Sam, _records[Sam], 777);                                        // generation order: the log is sorted on load
            Write(Kim, _records[Kim], 5000);
            for (var i = 0; i < shuffled.Count;)
            {
                var size = random.Next(1, 500);
                Write(AlexShuffled, shuffled.Skip(i).Take(size), size);
                i += size;
            }
        }

        var reader = new PlayLogReader(_db.Database);
        foreach (var account in _records.Keys)
        {
            _logs[account] = reader.Load(account)!;
        }

        Names = new CatalogCache(_db.Database);
        Catalog = Names.Current();

        OracleCatalogue = new OracleCatalogue(_db.Database, Catalogue.Tracks);
    }

    internal StatsCatalogue Catalogue { get; }

    internal CatalogCache Names { get; }

    internal CatalogSnapshot Catalog { get; }

    internal OracleCatalogue OracleCatalogue { get; }

    internal static TimeZoneInfo Zone(string id) => TimeZoneInfo.FindSystemTimeZoneById(id);

    internal IReadOnlyList<PlayRecord> Records(string account) => _records[account];

    internal PlayLog Log(string account) => _logs[account];

    internal StatsEngine Engine(string account, string zone, DateTimeOffset now) => new(_logs[account], Catalog, Names, Zone(zone), now);

    internal StatsOracle Oracle(string account, string zone, DateTimeOffset now) => new(View(account, zone), OracleCatalogue.Names, Zone(zone), now);

    /// <summary>The request for a named range: its local dates turned into instants with the oracle's own arithmetic.</summary>
    internal static StatsRequest Request(string zone, string range)
    {
        var (from, to) = Ranges[range];
        return new StatsRequest(
            from is { } f ? OracleTime.StartOfDay(Zone(zone), f) : null,
            to is { } t ? OracleTime.StartOfDay(Zone(zone), t) : null,
            zone);
    }

    /// <summary>The account's plays as the oracle sees them in a zone (unsorted: the oracle sorts where it must).</summary>
    internal IReadOnlyList<OraclePlay> View(string account, string zone) =>
        _views.GetOrAdd((account, zone), key => OracleCatalogue.Plays(_records[key.Account], Zone(key.Zone)));

    public void Dispose() => _db.Dispose();
}
