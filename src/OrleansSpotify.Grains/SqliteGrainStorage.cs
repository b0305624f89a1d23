using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Storage;
using OrleansSpotify.Storage;

namespace OrleansSpotify.Grains;

/// <summary>
/// Grain state in the same SQLite file as the plays (table <c>grain_state</c>), serialized with the Orleans
/// serializer (version-tolerant through <c>[Id]</c>s) and guarded by ETags. We use our own provider rather
/// than Orleans' ADO.NET one because that one's SQLite support is keyed on the System.Data.SQLite invariant
/// and ships no setup script in its package, while this is three small methods over a table in schema.sql.
/// <para>
/// Every payload is sealed (<see cref="ISecretProtector"/>, Data Protection in the Host) rather than only the token
/// fields of <see cref="ListenerState"/>: the serializer's output stays the one version-tolerant shape, no grain has
/// to remember which of its fields are secret (a secret added to any state later is sealed too), and the upgrade of
/// an older database needs nothing but the marker of <see cref="SealedPayload"/> to find the rows to re-write.
/// </para>
/// <para>
/// A state that the key ring cannot open (keys/ lost or replaced) is logged and read as a fresh state that keeps the
/// row's ETag: the grain activates signed out, and the member's next sign-in overwrites the row. Failing the read
/// instead would fail every activation, the sign-in included, for good.
/// </para>
/// </summary>
public sealed partial class SqliteGrainStorage(
    GrainStateStore store,
    Serializer serializer,
    ISecretProtector protector,
    TimeProvider timeProvider,
    ILogger<SqliteGrainStorage> logger) : IGrainStorage
{
    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        // Read off the turn like every SQLite call of a grain (Microsoft.Data.Sqlite is synchronous); opened in the turn.
        var key = grainId.ToString();
        var stored = await Task.Run(() => store.Read(stateName, key));
        if (stored is null)
        {
            grainState.ETag = null;
            grainState.RecordExists = false;
            return;
        }

        try
        {
            grainState.State = serializer.Deserialize<T>(SealedPayload.Open(protector, stored.Payload));
        }
        catch (CryptographicException exception)
        {
            LogUnreadable(logger, exception, stateName, grainId.ToString());
        }

        grainState.ETag = stored.ETag;
        grainState.RecordExists = true;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        // Sealed in the caller's turn (what is saved is the state as it is now); written off the turn and awaited, as the
        // storage grain writes plays: Microsoft.Data.Sqlite is synchronous.
        var payload = SealedPayload.Seal(protector, serializer.SerializeToArray(grainState.State));
        var (key, etag, now) = (grainId.ToString(), grainState.ETag, timeProvider.GetUtcNow());
        try
        {
            grainState.ETag = await Task.Run(() => store.Write(stateName, key, payload, etag, now));
            grainState.RecordExists = true;
        }
        catch (GrainStateConflictException conflict)
        {
            throw new InconsistentStateException(conflict.Message, conflict.StoredETag ?? "", conflict.ExpectedETag ?? "");
        }
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var (key, etag) = (grainId.ToString(), grainState.ETag);
        try
        {
            await Task.Run(() => store.Clear(stateName, key, etag));
        }
        catch (GrainStateConflictException conflict)
        {
            throw new InconsistentStateException(conflict.Message, conflict.StoredETag ?? "", conflict.ExpectedETag ?? "");
        }

        grainState.ETag = null;
        grainState.RecordExists = false;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "State '{StateName}' of {GrainId} was sealed with a key this key ring does not have (the data directory's keys/ lost or replaced?): it starts afresh, and the member must sign in again. Restore keys/ from the backup made with the database to recover it instead")]
    private static partial void LogUnreadable(ILogger logger, Exception exception, string stateName, string grainId);
}
