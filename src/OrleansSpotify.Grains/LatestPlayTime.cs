using Microsoft.Extensions.Logging;
using OrleansSpotify.Storage;

namespace OrleansSpotify.Grains;

/// <summary>
/// The time of an account's latest recorded play, for an idle account's "since": read from SQLite once (off the
/// grain's turn; a failed read is logged and tried again next time), then moved forward by the plays its listener reads.
/// </summary>
internal sealed class LatestPlayTime(PlayQueries plays, string accountKey, ILogger logger)
{
    private DateTimeOffset? _latest;
    private bool _read;

    public async Task<DateTimeOffset?> GetAsync()
    {
        if (!_read)
        {
            try
            {
                var stored = await Task.Run(() => plays.LatestPlayedAt(accountKey));
                _read = true;
                Saw(stored);
            }
            catch (Exception exception)
            {
                ListenerLog.LatestPlayFailed(logger, exception, accountKey);
            }
        }

        return _latest;
    }

    /// <summary>A play at <paramref name="playedAt"/> is recorded.</summary>
    public void Saw(DateTimeOffset? playedAt)
    {
        if (playedAt is not null && (_latest is null || playedAt > _latest))
        {
            _latest = playedAt;
        }
    }
}
