using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OrleansSpotify.Storage;

/// <summary>
/// Whether the database takes writes, as <c>/readyz</c> reports it: one real, committed write per
/// <see cref="StorageOptions.WriteProbeInterval"/> at most (concurrent probes share it), so probes cannot hammer the
/// database, and a change shows at the first probe after the interval. Changes are logged.
/// </summary>
public sealed partial class DatabaseReadiness(SqliteDatabase database, IOptions<StorageOptions> options, TimeProvider time, ILogger<DatabaseReadiness> logger)
{
    private readonly StorageOptions _options = options.Value;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile DatabaseWriteCheck? _last;

    public async Task<DatabaseWriteCheck> CheckAsync(CancellationToken cancellationToken = default)
    {
        if (Fresh(_last) is { } cached)
        {
            return cached;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (Fresh(_last) is { } shared)
            {
                return shared;
            }

            var previous = _last;
            var now = time.GetUtcNow();
            var check = await Task.Run(() => database.ProbeWrite(now, _options.MinFreeBytes), cancellationToken);
            if (previous is null || previous.Ready != check.Ready)
            {
                if (check.Ready)
                {
                    LogReady(logger, check.Detail);
                }
                else
                {
                    LogNotReady(logger, check.Detail);
                }
            }

            _last = check;
            return check;
        }
        finally
        {
            _gate.Release();
        }
    }

    private DatabaseWriteCheck? Fresh(DatabaseWriteCheck? check) =>
        check is not null && time.GetUtcNow() - check.CheckedAt < _options.WriteProbeInterval ? check : null;

    [LoggerMessage(Level = LogLevel.Information, Message = "Database ready: {Detail}")]
    private static partial void LogReady(ILogger logger, string detail);

    [LoggerMessage(Level = LogLevel.Error, Message = "Database NOT ready (reads still work; writes are retried later): {Detail}")]
    private static partial void LogNotReady(ILogger logger, string detail);
}
