using System.Diagnostics;
using Orleans.Serialization;
using OrleansSpotify.Benchmarks.Reporting;
using OrleansSpotify.Storage;
using OrleansSpotify.Storage.Stats;

namespace OrleansSpotify.Benchmarks.Stats;

/// <summary>What one answer costs, measured in process without a grain.</summary>
/// <param name="EngineMs">The <see cref="StatsEngine"/> calls the grain makes (name lookups included), warm catalogue.</param>
/// <param name="WireMs">Serializing and deserializing the grain's answer once (one hop), with Orleans' serializer.</param>
/// <param name="PayloadBytes">The serialized answer.</param>
public sealed record AnswerCost(double EngineMs, double WireMs, int PayloadBytes);

/// <summary>
/// Where the time of a cold answer goes: loading the play log(s) (and merging the household's), the catalogue
/// snapshot a fresh silo loads once, name lookups, the engine's computation and the answer's serialization. Each
/// part is timed on its own, in process, on the same database (medians).
/// </summary>
public sealed class StatsBreakdown
{
    private StatsBreakdown(
        double catalogColdMs,
        long catalogTracks,
        double genresColdMs,
        int artistsWithGenres,
        IReadOnlyDictionary<string, double> loadMs,
        double serialHouseholdLoadMs,
        double lookupMs,
        IReadOnlyDictionary<StatsQuestion, AnswerCost> answers)
    {
        CatalogColdMs = catalogColdMs;
        CatalogTracks = catalogTracks;
        GenresColdMs = genresColdMs;
        ArtistsWithGenres = artistsWithGenres;
        LoadMs = loadMs;
        SerialHouseholdLoadMs = serialHouseholdLoadMs;
        LookupMs = lookupMs;
        Answers = answers;
    }

    /// <summary>A fresh <see cref="CatalogCache"/>'s first snapshot: album and primary artist of every track.</summary>
    public double CatalogColdMs { get; }

    public long CatalogTracks { get; }

    /// <summary>A fresh <see cref="GenreCatalog"/>'s first load: the genres of every artist that has some.</summary>
    public double GenresColdMs { get; }

    public int ArtistsWithGenres { get; }

    /// <summary>Loading a subject's play log as its grain does: one account's, or every member's and their merge.</summary>
    public IReadOnlyDictionary<string, double> LoadMs { get; }

    /// <summary>The household's members' logs loaded one after another (the grain loads them side by side).</summary>
    public double SerialHouseholdLoadMs { get; }

    /// <summary>One name lookup of 10 tracks (a top list's worth; artists and albums are similar queries).</summary>
    public double LookupMs { get; }

    public IReadOnlyDictionary<StatsQuestion, AnswerCost> Answers { get; }

    /// <summary>
    /// Runs every question's engine calls and serializes every kind of answer many times over a small slice of each
    /// log, so the measured runs execute optimized (tier-1) code rather than the JIT's first tier.
    /// </summary>
    public static void WarmUpJit(SqliteDatabase database, IReadOnlyList<StatsQuestion> questions, IReadOnlyList<string> members, Serializer serializer, TimeZoneInfo zone)
    {
        var reader = new PlayLogReader(database);
        var names = new CatalogCache(database);
        var genres = new GenreCatalog(new GenreStore(database)).Current();
        var small = members.Select(key => Head(reader.Load(key) ?? PlayLog.Empty, 3_000)).ToList();
        var household = new StatsSubject(small, names.Current(), names, genres, zone);
        var account = new StatsSubject([small[0]], names.Current(), names, genres, zone);
        for (var pass = 0; pass < 2; pass++)
        {
            for (var round = 0; round < 40; round++)
            {
                foreach (var question in questions)
                {
                    var answer = question.Endpoint.Compute(question.Endpoint.Scope == StatsScope.Household ? household : account, question.Request);
                    serializer.Deserialize<object>(serializer.SerializeToArray<object>(answer));
                }

            }

            // Call counting starts once the JIT has been quiet for a while; tier-1 code is compiled in the background.
            Thread.Sleep(500);
        }
    }

    /// <param name="answers">One answer of each question, as the grain returned it (for its payload).</param>
    public static StatsBreakdown Measure(
        SqliteDatabase database,
        IReadOnlyList<StatsQuestion> questions,
        IReadOnlyDictionary<string, string> accountSubjects,
        IReadOnlyList<string> members,
        IReadOnlyDictionary<StatsQuestion, object> answers,
        Serializer serializer,
        TimeZoneInfo zone,
        int repetitions)
    {
        var reader = new PlayLogReader(database);
        var catalogColdMs = Median(repetitions, () => new CatalogCache(database).Current());
        var names = new CatalogCache(database);
        var snapshot = names.Current();
        var genresColdMs = Median(repetitions, () => new GenreCatalog(new GenreStore(database)).Current());
        var genres = new GenreCatalog(new GenreStore(database)).Current();

        var loadMs = new Dictionary<string, double>();
        var subjects = new Dictionary<string, StatsSubject>();
        foreach (var (subject, key) in accountSubjects)
        {
            loadMs[subject] = Median(repetitions, () => reader.Load(key));
            var log = reader.Load(key) ?? PlayLog.Empty;
            subjects[subject] = new StatsSubject([log], snapshot, names, genres, zone);
        }

        // As the household grain loads: every member's log side by side on the thread pool.
        loadMs["household"] = Median(repetitions, () => Parallel.For(0, members.Count, i => reader.Load(members[i])));
        var serialMs = Median(repetitions, () => members.Select(key => reader.Load(key)).ToList());
        var memberLogs = members.Select(key => reader.Load(key) ?? PlayLog.Empty).ToList();
        subjects["household"] = new StatsSubject(memberLogs, snapshot, names, genres, zone);

        var someTracks = memberLogs.SelectMany(l => l.TrackIds.Take(1_000)).Distinct().Take(10).ToList();
        var lookupMs = Median(repetitions, () => names.Tracks(someTracks));

        var costs = new Dictionary<StatsQuestion, AnswerCost>();
        foreach (var question in questions)
        {
            var subject = subjects[question.Subject];
            var engineMs = Median(repetitions, () => question.Endpoint.Compute(subject, question.Request));
            var answer = answers[question];
            var bytes = serializer.SerializeToArray<object>(answer);
            var wireMs = Median(Math.Max(repetitions, 20), () => serializer.Deserialize<object>(serializer.SerializeToArray<object>(answer)));
            costs[question] = new AnswerCost(engineMs, wireMs, bytes.Length);
        }

        return new StatsBreakdown(catalogColdMs, snapshot.MaxTrackId, genresColdMs, genres.Count, loadMs, serialMs, lookupMs, costs);
    }

    private static PlayLog Head(PlayLog log, int count)
    {
        var n = Math.Min(count, log.Count);
        return new PlayLog(log.PlayedAt[..n], log.TrackIds[..n], log.Ms[..n], log.MsReported[..n]);
    }

    /// <summary>The median milliseconds of <paramref name="repetitions"/> runs, after one unmeasured run.</summary>
    private static double Median(int repetitions, Func<object?> run)
    {
        run();
        var times = new List<double>();
        for (var i = 0; i < repetitions; i++)
        {
            var stopwatch = Stopwatch.StartNew();
            run();
            stopwatch.Stop();
            times.Add(stopwatch.Elapsed.TotalMilliseconds);
        }

        return Samples.Median(times);
    }
}
