namespace OrleansSpotify.Abstractions;

/// <summary>
/// The play writer cannot take these plays now (the database refuses writes: full disk, read-only, I/O error; or too
/// many plays already wait to be written). Nothing of the request was stored: offer the same plays again later.
/// Crosses grain boundaries.
/// </summary>
[GenerateSerializer]
[Alias("OrleansSpotify.StorageUnavailableException")]
public sealed class StorageUnavailableException : Exception
{
    public StorageUnavailableException(string reason)
        : base("Plays cannot be stored now; offer them again later: " + reason)
    {
        Reason = reason;
    }

    [Id(0)]
    public string Reason { get; private set; }
}
