using System.Globalization;
using OrleansSpotify.Abstractions;
using OrleansSpotify.Grains;
using OrleansSpotify.Grains.Import;
using OrleansSpotify.Host.Backup;
using OrleansSpotify.Host.Secrets;
using OrleansSpotify.Import;
using OrleansSpotify.Storage;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace OrleansSpotify.Host.Import;

/// <summary>
/// <c>import --account ID FILE…</c>, run instead of the service from the server's shell: the silo in this process
/// (no web server) on the configured data directory, the same import job the dashboard starts, a live progress bar,
/// then the report. The data directory must not be in use: the command takes the service's <see cref="ServiceLock"/>,
/// so it refuses while the service runs (and a service started meanwhile refuses to start). The configuration is the
/// service's (appsettings.json, environment, <c>.env</c>, <c>--Key=value</c> arguments). Exit code 0 when the job is
/// done, 1 when it was refused or failed, 2 on a usage error.
/// </summary>
public static class ImportCommand
{
    public const string Name = "import";

    /// <summary>How long the command waits for a progress report before asking the job itself.</summary>
    private static readonly TimeSpan ReportWait = TimeSpan.FromSeconds(1);

    private const string UsageText = """
        Usage:
          OrleansSpotify.Host import --account ID FILE...   import Spotify exports into a household account
        FILE: Spotify's export zip (my_spotify_data.zip), or JSON files from it (Streaming_History_Audio_*.json,
        StreamingHistory_music_*.json, ...), or an OrleansSpotify json export. Run it while the service is stopped;
        the data directory is Storage__DataDirectory (default ./data), as for the service.
        """;

    /// <summary>True when the first argument is <c>import</c> (the service is not started then).</summary>
    public static bool IsCommand(string[] args) => args is [Name, ..];

    public static async Task<int> RunAsync(string[] args, IAnsiConsole console, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(error);

        if (!TryParse(args.Length > 0 ? args[1..] : [], out var account, out var files, out var settings, out var problem))
        {
            await error.WriteLineAsync($"import: {problem}");
            await error.WriteLineAsync(UsageText);
            return Commands.Usage;
        }

        var paths = files.Select(Path.GetFullPath).ToList();
        if (paths.FirstOrDefault(p => !File.Exists(p)) is { } missing)
        {
            await error.WriteLineAsync(Directory.Exists(missing)
                ? $"import: {missing} is a folder: give the zip, or the JSON files in it."
                : $"import: {missing}: no such file.");
            return Commands.Failed;
        }

        var builder = CreateBuilder(args, settings);
        var storage = builder.Configuration.GetSection(StorageOptions.SectionName).Get<StorageOptions>() ?? new StorageOptions();
        var dataDirectory = Path.GetFullPath(storage.DataDirectory);
        using var serviceLock = ServiceLock.TryAcquire(dataDirectory);
        if (serviceLock is null)
        {
            await error.WriteLineAsync(
                $"import: the service is running on the data directory {dataDirectory}: stop it, or import from the dashboard (Accounts → Import history).");
            return Commands.Failed;
        }

        using var host = builder.Build();
        try
        {
            await host.StartAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            await error.WriteLineAsync($"import: the silo could not start on {dataDirectory}: {exception.Message}");
            return Commands.Failed;
        }

        try
        {
            return await ImportAsync(host.Services, account!, paths, dataDirectory, console, error, cancellationToken);
        }
        finally
        {
            // A job stopped here (Ctrl+C) resumes from its last batch when the service or this command starts next.
            await host.StopAsync(CancellationToken.None);
        }
    }

    private static HostApplicationBuilder CreateBuilder(string[] args, List<string> settings)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = [.. settings],
            ContentRootPath = ContentRoot.FromArgs(args) ?? AppContext.BaseDirectory,
        });

        // The command imports and nothing else: no listener is woken (no Spotify call), and only warnings are logged,
        // to standard error, below the progress bar.
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"{ListenerOptions.SectionName}:{nameof(ListenerOptions.ResumeAtStartup)}"] = "false",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:OrleansSpotify"] = "Warning",
            ["Logging:LogLevel:Orleans"] = "Error",
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace);

        builder.AddOrleansSpotifyConfiguration();
        builder.Services.AddSingleton<ImportProgressEvents>();
        builder.Services.AddSingleton<IListeningEvents>(sp => sp.GetRequiredService<ImportProgressEvents>());
        builder.AddOrleansSpotifySilo();
        builder.Services.AddImportReading();
        builder.AddSecretsAtRest();
        return builder;
    }

    private static async Task<int> ImportAsync(
        IServiceProvider services,
        string account,
        List<string> paths,
        string dataDirectory,
        IAnsiConsole console,
        TextWriter error,
        CancellationToken cancellationToken)
    {
        var launcher = services.GetRequiredService<ImportJobLauncher>();
        var events = services.GetRequiredService<ImportProgressEvents>();
        var grains = services.GetRequiredService<IGrainFactory>();

        ImportJobStatus status;
        try
        {
            console.MarkupLine($"Reading {Markup.Escape(Plural(paths.Count, "file"))} for [bold]{Markup.Escape(account)}[/] in {Markup.Escape(dataDirectory)}…");
            status = await launcher.CreateFromPathsAsync(account, paths, cancellationToken);
        }
        catch (UnknownAccountException)
        {
            var known = services.GetRequiredService<AccountStore>().List();
            await error.WriteLineAsync(known.Count == 0
                ? $"import: there is no account '{account}': no member has signed in on this data directory yet (sign in on the dashboard first)."
                : $"import: there is no account '{account}'. Known accounts: {string.Join(", ", known.Select(a => $"{a.AccountKey} ({a.DisplayName})"))}.");
            return Commands.Failed;
        }
        catch (ImportFormatException exception)
        {
            await error.WriteLineAsync($"import: nothing was imported: {exception.Message}");
            return Commands.Failed;
        }
        catch (OperationCanceledException)
        {
            await error.WriteLineAsync("import: stopped before the import was accepted; nothing was imported.");
            return Commands.Failed;
        }

        var job = grains.GetGrain<IImportJobGrain>(status.JobId);
        try
        {
            status = await console.Progress()
                .AutoClear(false)
                .HideCompleted(false)
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RowsColumn(), new ElapsedTimeColumn())
                .StartAsync(async context =>
                {
                    var tasks = status.Files.Select(f => context.AddTask(Markup.Escape(ShortName(f.Name)), maxValue: Math.Max(1, f.Rows))).ToList();
                    var current = Newest(status, events.Latest(status.JobId));
                    while (true)
                    {
                        Show(tasks, current);
                        if (current.State is ImportJobState.Done or ImportJobState.Failed)
                        {
                            return current;
                        }

                        var reported = await events.WaitForChangeAsync(current.JobId, ReportWait, cancellationToken)
                            ?? await job.GetStatusAsync()
                            ?? current;
                        current = Newest(current, reported);
                    }
                });
        }
        catch (OperationCanceledException)
        {
            await error.WriteLineAsync(
                $"import: stopped. What was read so far is stored; job {status.JobId} goes on from there when the service (or this command) starts next on {dataDirectory}.");
            return Commands.Failed;
        }

        WriteReport(console, status);
        if (status.State == ImportJobState.Failed)
        {
            await error.WriteLineAsync($"import: the import stopped: {status.Error}");
            return Commands.Failed;
        }

        return Commands.Ok;
    }

    private static ImportJobStatus Newest(ImportJobStatus current, ImportJobStatus? reported) =>
        reported is not null && ImportProgressEvents.IsNotOlder(reported, current) ? reported : current;

    private static void Show(List<ProgressTask> tasks, ImportJobStatus status)
    {
        for (var i = 0; i < tasks.Count && i < status.Files.Length; i++)
        {
            var file = status.Files[i];
            var task = tasks[i];
            task.Value = file.Rows == 0 ? (status.State == ImportJobState.Done ? 1 : 0) : file.NextRecord;
            task.State.Update<long>(RowsColumn.Rows, _ => file.Rows);
            task.State.Update<long>(RowsColumn.Read, _ => file.NextRecord);
            if (status.State is ImportJobState.Done or ImportJobState.Failed)
            {
                task.StopTask();
            }
        }
    }

    /// <summary>The report: one row a file and the totals, the skip reasons, the zip entries left out, the summary line.</summary>
    public static void WriteReport(IAnsiConsole console, ImportJobStatus status)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(status);
        var files = status.Files.IsDefault ? [] : status.Files;
        // Narrow enough for an 80-column terminal: the format under the file's name, and "read" only while rows are unread.
        var unread = files.Any(f => f.NextRecord < f.Rows);
        var table = new Table().Border(TableBorder.Rounded).Title($"Import {Markup.Escape(status.JobId)}: {Markup.Escape(StateName(status.State))}");
        table.AddColumn(new TableColumn("File"));
        var headings = unread ? new[] { "Rows", "Read", "Imported", "Merged", "Duplicates", "Skipped" } : ["Rows", "Imported", "Merged", "Duplicates", "Skipped"];
        foreach (var heading in headings)
        {
            table.AddColumn(new TableColumn(heading).RightAligned().NoWrap());
        }

        void AddRow(IRenderable name, long rows, long read, long imported, long merged, long duplicates, long skipped)
        {
            List<IRenderable> cells = [name, Count(rows)];
            if (unread)
            {
                cells.Add(Count(read));
            }

            cells.AddRange([Count(imported), Count(merged), Count(duplicates), Count(skipped)]);
            table.AddRow(cells);
        }

        foreach (var file in files)
        {
            AddRow(
                new Rows(new Text(file.Name), new Markup($"[dim]{Markup.Escape(FormatName(file.Format))}[/]")),
                file.Rows,
                file.NextRecord,
                file.Imported,
                file.Merged,
                file.Duplicates,
                file.Skipped.Values.Sum());
        }

        if (files.Length > 1)
        {
            AddRow(
                new Markup("[bold]Total[/]"),
                files.Sum(f => f.Rows),
                files.Sum(f => f.NextRecord),
                files.Sum(f => f.Imported),
                files.Sum(f => f.Merged),
                files.Sum(f => f.Duplicates),
                files.Sum(f => f.Skipped.Values.Sum()));
        }

        console.Write(table);

        var reasons = files.SelectMany(f => f.Skipped)
            .GroupBy(r => r.Key, StringComparer.Ordinal)
            .Select(g => (Reason: g.Key, Count: g.Sum(r => r.Value)))
            .Where(r => r.Count > 0)
            .OrderBy(r => r.Reason, StringComparer.Ordinal)
            .ToList();
        foreach (var (reason, count) in reasons)
        {
            console.WriteLine($"Skipped, {reason}: {count.ToString("N0", CultureInfo.InvariantCulture)}");
        }

        var entries = status.SkippedEntries.IsDefault ? [] : status.SkippedEntries;
        if (entries.Length > 0)
        {
            console.WriteLine($"Not imported from the zip ({Plural(entries.Length, "entry", "entries")}):");
            foreach (var entry in entries)
            {
                console.WriteLine($"  {entry.Name}: {entry.Reason}");
            }
        }

        var took = status is { StartedAt: { } started, FinishedAt: { } finished } ? $" in {(finished - started).TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s" : "";
        console.WriteLine(status.State == ImportJobState.Done
            ? $"Done{took}: {Plural(files.Sum(f => f.Imported), "new play")}, {files.Sum(f => f.Merged).ToString("N0", CultureInfo.InvariantCulture)} merged with recorded plays, "
                + $"{files.Sum(f => f.Duplicates).ToString("N0", CultureInfo.InvariantCulture)} already stored, {files.Sum(f => f.Skipped.Values.Sum()).ToString("N0", CultureInfo.InvariantCulture)} skipped."
            : $"{StateName(status.State)}: {status.Error}");
    }

    private static bool TryParse(string[] args, out string? account, out List<string> files, out List<string> settings, out string? problem)
    {
        account = null;
        files = [];
        settings = [];
        problem = null;
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg is "--account" or "-a")
            {
                if (i + 1 >= args.Length || args[i + 1].StartsWith('-'))
                {
                    problem = "--account needs the account's id (as in the dashboard's address: /accounts/ID).";
                    return false;
                }

                account = args[++i];
            }
            else if (arg.StartsWith("--account=", StringComparison.Ordinal))
            {
                account = arg["--account=".Length..];
            }
            else if (arg is "--help" or "-h")
            {
                problem = "help.";
                return false;
            }
            else if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                // Configuration, as for the service: --Storage:DataDirectory=/srv/data, or --Storage:DataDirectory /srv/data.
                settings.Add(arg);
                if (!arg.Contains('=', StringComparison.Ordinal) && i + 1 < args.Length)
                {
                    settings.Add(args[++i]);
                }
            }
            else if (arg.StartsWith('-') && arg.Length > 1)
            {
                problem = $"unknown option {arg}.";
                return false;
            }
            else
            {
                files.Add(arg);
            }
        }

        if (string.IsNullOrWhiteSpace(account))
        {
            problem = "no account given (--account ID).";
            return false;
        }

        if (files.Count == 0)
        {
            problem = "no file given.";
            return false;
        }

        return true;
    }

    private static IRenderable Count(long value) => new Text(value.ToString("N0", CultureInfo.InvariantCulture));

    private static string ShortName(string name)
    {
        var slash = name.LastIndexOf('/');
        return slash >= 0 && slash < name.Length - 1 ? name[(slash + 1)..] : name;
    }

    private static string StateName(ImportJobState state) => state switch
    {
        ImportJobState.Queued => "queued",
        ImportJobState.Running => "running",
        ImportJobState.Done => "done",
        _ => "failed",
    };

    private static string FormatName(ImportFormat format) => format switch
    {
        ImportFormat.ExtendedHistory => "extended history",
        ImportFormat.AccountData => "account data",
        _ => "OrleansSpotify export",
    };

    private static string Plural(long count, string one, string? many = null) =>
        $"{count.ToString("N0", CultureInfo.InvariantCulture)} {(count == 1 ? one : many ?? one + "s")}";

    /// <summary>"1,234 / 5,000 rows" beside a file's bar.</summary>
    private sealed class RowsColumn : ProgressColumn
    {
        public const string Rows = "rows";
        public const string Read = "read";

        protected override bool NoWrap => true;

        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
            new Text($"{task.State.Get<long>(Read).ToString("N0", CultureInfo.InvariantCulture)} / {Plural(task.State.Get<long>(Rows), "row")}");
    }
}
