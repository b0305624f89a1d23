using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansSpotify.Abstractions;
using OrleansSpotify.Grains;
using OrleansSpotify.Storage;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace OrleansSpotify.Benchmarks.Stats;

/// <summary>What generating the database took.</summary>
public sealed record Generation(int Plays, int Transactions, int BatchSize, TimeSpan Generate, TimeSpan Write, bool ImportLast);

/// <summary>What the database holds, counted after a WAL checkpoint.</summary>
public sealed record DatabaseFacts(
    long FileBytes,
    long FreeBytes,
    long Plays,
    long ReportedPlays,
    long Tracks,
    long Artists,
    long Albums,
    long Contexts,
    long ArtistsWithGenres,
    long LogChunks,
    DateTimeOffset FirstPlay,
    DateTimeOffset LastPlay,
    IReadOnlyList<(string Name, long Bytes)> Objects);

/// <summary>
/// The benchmark's SQLite database: generated through the real write path (<see cref="AccountStore.Upsert"/>, then
/// <see cref="PlayWriter.Write"/> in batches of <see cref="StorageGrainOptions.MaxBatchSize"/>), either in a fresh
/// temporary directory or, with <c>--reuse DIR</c>, in <c>DIR/&lt;workload key&gt;</c> where a later run with the same
/// workload options finds it. A reusable database is generated in a <c>.partial-*</c> sibling and only renamed into
/// place once complete, so an interrupted run never leaves a half-written database to be reused.
/// </summary>
public sealed class StatsDatabase : IDisposable
{
    private static readonly DateTimeOffset AccountsCreatedAt = new(2015, 12, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly string[] Genres =
    [
        "pop", "rock", "indie rock", "hip hop", "rap", "dance pop", "edm", "house", "techno", "indie pop", "alternative rock",
        "r&b", "soul", "jazz", "modern rock", "country", "folk", "indie folk", "metal", "punk", "pop punk", "trap", "latin",
        "reggaeton", "k-pop", "classical", "ambient", "lo-fi", "singer-songwriter", "blues", "funk", "disco", "synthpop",
        "new wave", "post-punk", "shoegaze", "dream pop", "drum and bass", "dubstep", "trance", "deep house", "garage rock",
        "psychedelic rock", "hard rock", "grunge", "emo", "neo soul", "afrobeats", "dancehall", "reggae", "bossa nova",
        "chillwave", "art pop", "electropop", "german hip hop", "uk drill", "grime", "bedroom pop", "soundtrack", "opera",
    ];

    private readonly TempDirectory? _temporary;

    private StatsDatabase(string directory, TempDirectory? temporary, Generation? generation)
    {
        Directory = directory;
        _temporary = temporary;
        Generation = generation;
        Options = new StorageOptions { DataDirectory = directory };
        Database = new SqliteDatabase(MsOptions.Create(Options), NullLogger<SqliteDatabase>.Instance);
    }

    public string Directory { get; }

    public StorageOptions Options { get; }

    public SqliteDatabase Database { get; }

    /// <summary>Null when an earlier run's database was reused.</summary>
    public Generation? Generation { get; }

    public static StatsDatabase Prepare(StatsBenchmarkOptions options, TextWriter output)
    {
        if (options.ReuseDirectory is not { } reuse)
        {
            var temporary = TempDirectory.CreateRoot();
            try
            {
                var generation = Generate(options, temporary.Path, output);
                return new StatsDatabase(temporary.Path, temporary, generation);
            }
            catch
            {
                temporary.Dispose();
                throw;
            }
        }

        var target = Path.Combine(reuse, options.WorkloadKey);
        if (System.IO.Directory.Exists(target))
        {
            output.WriteLine($"Reusing the database in {target} (same workload options; delete the folder to regenerate).");
            return new StatsDatabase(target, null, null);
        }

        var partial = $"{target}.partial-{Guid.NewGuid():N}";
        try
        {
            var generation = Generate(options, partial, output);
            System.IO.Directory.Move(partial, target);
            output.WriteLine($"Kept the database in {target} for later runs with --reuse {reuse}.");
            return new StatsDatabase(target, null, generation);
        }
        catch
        {
            SqliteConnection.ClearAllPools();
            if (System.IO.Directory.Exists(partial))
            {
                System.IO.Directory.Delete(partial, recursive: true);
            }

            throw;
        }
    }

    /// <summary>Checkpoints the WAL into the database file (TRUNCATE), then counts what it holds.</summary>
    public DatabaseFacts Facts()
    {
        using var connection = Database.Open();
        Scalar(connection, "PRAGMA wal_checkpoint(TRUNCATE);");
        var pageSize = Scalar(connection, "PRAGMA page_size;");
        var objects = new List<(string, long)>();
        try
        {
            // dbstat is a compile-time option of SQLite; without it the breakdown by table is left out.
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC;";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                objects.Add((reader.GetString(0), reader.GetInt64(1)));
            }
        }
        catch (SqliteException)
        {
        }

        var file = new FileInfo(Options.DatabasePath);
        var wal = new FileInfo(Options.DatabasePath + "-wal");
        return new DatabaseFacts(
            file.Length + (wal.Exists ? wal.Length : 0),
            Scalar(connection, "PRAGMA freelist_count;") * pageSize,
            Scalar(connection, "SELECT count(*) FROM plays;"),
            Scalar(connection, "SELECT count(ms_played) FROM plays;"),
            Scalar(connection, "SELECT count(*) FROM tracks;"),
            Scalar(connection, "SELECT count(*) FROM artists;"),
            Scalar(connection, "SELECT count(*) FROM albums;"),
            Scalar(connection, "SELECT count(*) FROM contexts;"),
            Scalar(connection, "SELECT count(*) FROM artist_genres WHERE genres IS NOT NULL;"),
            Scalar(connection, "SELECT count(*) FROM play_log_chunks;"),
            DateTimeOffset.FromUnixTimeMilliseconds(Scalar(connection, "SELECT coalesce(min(played_at), 0) FROM plays;")),
            DateTimeOffset.FromUnixTimeMilliseconds(Scalar(connection, "SELECT coalesce(max(played_at), 0) FROM plays;")),
            objects);
    }

    /// <summary>
    /// The baseline: <c>SELECT sum(ms_played) FROM plays</c> (one full scan of the plays table) on a connection that
    /// is already open, <paramref name="repetitions"/> times measured (after one unmeasured run when
    /// <paramref name="warmUp"/>).
    /// </summary>
    public (IReadOnlyList<TimeSpan> Times, long SumMs) FullScans(int repetitions, bool warmUp = true)
    {
        using var connection = Database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT sum(ms_played) FROM plays;";
        var sum = warmUp && command.ExecuteScalar() is long first ? first : 0;
        var times = new List<TimeSpan>();
        for (var i = 0; i < repetitions; i++)
        {
            var stopwatch = Stopwatch.StartNew();
            var result = command.ExecuteScalar();
            stopwatch.Stop();
            times.Add(stopwatch.Elapsed);
            sum = result is long value ? value : sum;
        }

        return (times, sum);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _temporary?.Dispose();
    }

    private static Generation Generate(StatsBenchmarkOptions options, string directory, TextWriter output)
    {
        output.WriteLine($"Generating {options.Plays:N0} plays of {options.Accounts} accounts over {options.Years} years (seed {options.Seed}) ...");
        var stopwatch = Stopwatch.StartNew();
        var catalogue = MusicCatalogue.Generate(options.Tracks, options.Artists, options.Seed);
        var history = HouseholdHistory.Generate(catalogue, options);
        var generate = stopwatch.Elapsed;

        var database = new SqliteDatabase(MsOptions.Create(new StorageOptions { DataDirectory = directory }), NullLogger<SqliteDatabase>.Instance);
        database.Initialize();
        var accounts = new AccountStore(database);
        foreach (var account in history.Accounts)
        {
            accounts.Upsert(account.Key, account.Key, account.DisplayName, AccountsCreatedAt, AccountsCreatedAt);

            // No Spotify here: a stopped account's listener is not resumed when a silo starts.
            accounts.SetStatus(account.Key, AccountStatus.Stopped, "stats benchmark", AccountsCreatedAt);
        }

        var batchSize = new StorageGrainOptions().MaxBatchSize;
        stopwatch.Restart();
        var stored = 0;
        var transactions = 0;
        using (var writer = new PlayWriter(database))
        {
            var batch = new List<PendingPlay>(batchSize);
            foreach (var (account, play) in WriteOrder(history, options.ImportLast))
            {
                var context = play.Context >= 0 ? history.Contexts[play.Context] : default;
                batch.Add(new PendingPlay(account.Key, new PlayRecord(
                    DateTimeOffset.FromUnixTimeMilliseconds(play.PlayedAtMs),
                    catalogue.Tracks[play.Track],
                    play.MsPlayed >= 0 ? play.MsPlayed : null,
                    context.Uri,
                    context.Type,
                    play.MsPlayed >= 0 ? PlaySource.ImportExtendedHistory : PlaySource.RecentlyPlayed)));
                if (batch.Count == batchSize)
                {
                    stored += Write(writer, batch);
                    transactions++;
                }
            }

            if (batch.Count > 0)
            {
                stored += Write(writer, batch);
                transactions++;
            }
        }

        var write = stopwatch.Elapsed;
        if (stored != history.Plays)
        {
            throw new InvalidOperationException($"{history.Plays:N0} plays were generated but {stored:N0} were stored as new.");
        }

        SaveGenres(database, options.Seed);

        SqliteConnection.ClearAllPools();
        return new Generation(stored, transactions, batchSize, generate, write, options.ImportLast);
    }

    /// <summary>
    /// Every stored artist's genres as the genre fetcher would have saved them (<see cref="GenreStore.Save"/>): most
    /// artists have 1-4 genres, drawn with a Zipf popularity; some have none ("unknown"). None is left pending, so the
    /// fetcher has nothing to do in the benchmark's silos.
    /// </summary>
    private static void SaveGenres(SqliteDatabase database, int seed)
    {
        var random = new Random(unchecked(seed + 31));
        var genres = Enumerable.Range(0, Genres.Length).ToArray();
        var popularity = new ZipfSampler(Genres.Length, 0.9);
        var store = new GenreStore(database);
        var artistIds = new List<int>();
        using (var connection = database.Open())
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT id FROM artists ORDER BY id;";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                artistIds.Add((int)reader.GetInt64(0));
            }
        }

        foreach (var artistId in artistIds)
        {
            IReadOnlyList<string>? names = random.Next(100) < 85
                ? [.. Enumerable.Range(0, random.Next(1, 5)).Select(_ => Genres[genres[popularity.Next(random)]]).Distinct()]
                : null;
            store.Save(artistId, names, AccountsCreatedAt);
        }
    }

    private static int Write(PlayWriter writer, List<PendingPlay> batch)
    {
        var stored = writer.Write(batch).Count(isNew => isNew);
        batch.Clear();
        return stored;
    }

    /// <summary>
    /// The household's plays in the order they are written: by time across the accounts, as listeners would have
    /// recorded them; or (<c>--import-last</c>) every polled play first and the imported history after it.
    /// </summary>
    private static IEnumerable<(AccountHistory Account, GeneratedPlay Play)> WriteOrder(HouseholdHistory history, bool importLast)
    {
        if (!importLast)
        {
            return ByTime(history, _ => true);
        }

        return ByTime(history, play => play.MsPlayed < 0).Concat(ByTime(history, play => play.MsPlayed >= 0));
    }

    private static IEnumerable<(AccountHistory Account, GeneratedPlay Play)> ByTime(HouseholdHistory history, Func<GeneratedPlay, bool> include)
    {
        var next = new int[history.Accounts.Count];
        while (true)
        {
            var best = -1;
            for (var a = 0; a < next.Length; a++)
            {
                var plays = history.Accounts[a].Plays;
                while (next[a] < plays.Length && !include(plays[next[a]]))
                {
                    next[a]++;
                }

                if (next[a] < plays.Length && (best < 0 || plays[next[a]].PlayedAtMs < history.Accounts[best].Plays[next[best]].PlayedAtMs))
                {
                    best = a;
                }
            }

            if (best < 0)
            {
                yield break;
            }

            yield return (history.Accounts[best], history.Accounts[best].Plays[next[best]]);
            next[best]++;
        }
    }

    private static long Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
