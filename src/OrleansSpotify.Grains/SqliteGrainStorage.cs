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
/// </summary>
public sealed class SqliteGrainStorage(GrainStateStore store, Serializer serializer, ISecretProtector protector, TimeProvider timeProvider) : IGrainStorage
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var stored = store.Read(stateName, grainId.ToString());
        if (stored is null)
        {
            grainState.ETag = null;
            grainState.RecordExists = false;
            return Task.CompletedTask;
        }

        grainState.State = serializer.Deserialize<T>(SealedPayload.Open(protector, stored.Payload));
        grainState.ETag = stored.ETag;
        grainState.RecordExists = true;
        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var payload = SealedPayload.Seal(protector, serializer.SerializeToArray(grainState.State));
        try
        {
            grainState.ETag = store.Write(stateName, grainId.ToString(), payload, grainState.ETag, timeProvider.GetUtcNow());
            grainState.RecordExists = true;
        }
        catch (GrainStateConflictException conflict)
        {
            throw new InconsistentStateException(conflict.Message, conflict.StoredETag ?? "", conflict.ExpectedETag ?? "");
        }

        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        try
        {
            store.Clear(stateName, grainId.ToString(), grainState.ETag);
        }
        catch (GrainStateConflictException conflict)
        {
            throw new InconsistentStateException(conflict.Message, conflict.StoredETag ?? "", conflict.ExpectedETag ?? "");
        }

        grainState.ETag = null;
        grainState.RecordExists = false;
        return Task.CompletedTask;
    }
}
