namespace OrleansSpotify.Storage.Import;

/// <summary>
/// The importer's memory of the catalogue by name (see <see cref="NameKey"/>) and by URI: what it has read from the
/// database (up to <see cref="SeenTrack"/>, <see cref="SeenArtist"/>) and what it has created since.
/// </summary>
internal sealed class CatalogueIndex
{
    private readonly Dictionary<string, long> _byUri = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (long Id, bool Real)> _tracks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (long Id, bool HasSpotifyId)> _artists = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _albums = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _keys = new(StringComparer.Ordinal);
    private long _maxTrack;
    private long _maxArtist;

    /// <summary>Tracks with a larger id are unknown to the index (stored by polling, or rolled back).</summary>
    public long SeenTrack { get; private set; }

    public long SeenArtist { get; private set; }

    /// <summary><see cref="NameKey.Normalise"/>, remembered for artist names (a few thousand, met again and again).</summary>
    public string Key(string? artist)
    {
        if (artist is null)
        {
            return "";
        }

        if (!_keys.TryGetValue(artist, out var key))
        {
            if (_keys.Count >= 200_000)
            {
                _keys.Clear();
            }

            _keys[artist] = key = NameKey.Normalise(artist);
        }

        return key;
    }

    /// <summary><see cref="NameKey.Pair"/> with the artist's key remembered.</summary>
    public string Pair(string? artist, string? title) => Key(artist) + "\u001f" + NameKey.Normalise(title);

    public long? TrackByUri(string uri) => _byUri.TryGetValue(uri, out var id) ? id : null;

    public long? Track(string pairKey) => _tracks.TryGetValue(pairKey, out var t) ? t.Id : null;

    public long? Artist(string nameKey) => _artists.TryGetValue(nameKey, out var a) ? a.Id : null;

    public long? Album(string pairKey) => _albums.TryGetValue(pairKey, out var id) ? id : null;

    public void AddUri(string uri, long id)
    {
        _byUri[uri] = id;
        _maxTrack = Math.Max(_maxTrack, id);
    }

    /// <summary>A known name keeps its track, unless the newcomer is a real (Spotify) track and the known one is name-only.</summary>
    public void AddTrack(string pairKey, long id, bool real)
    {
        if (!_tracks.TryGetValue(pairKey, out var known) || (real && !known.Real))
        {
            _tracks[pairKey] = (id, real);
        }
    }

    /// <summary>A known name keeps its artist, unless the newcomer has a Spotify id and the known one has none.</summary>
    public void AddArtist(string nameKey, long id, bool hasSpotifyId)
    {
        _maxArtist = Math.Max(_maxArtist, id);
        if (nameKey.Length > 0 && (!_artists.TryGetValue(nameKey, out var known) || (hasSpotifyId && !known.HasSpotifyId)))
        {
            _artists[nameKey] = (id, hasSpotifyId);
        }
    }

    public void AddAlbum(string pairKey, long id) => _albums.TryAdd(pairKey, id);

    /// <summary>
    /// The batch is committed: everything up to the largest id seen is in the index. (The single writer stores
    /// nothing else while an import batch runs, so no smaller id can appear later.)
    /// </summary>
    public void Committed()
    {
        SeenTrack = Math.Max(SeenTrack, _maxTrack);
        SeenArtist = Math.Max(SeenArtist, _maxArtist);
    }

    /// <summary>A batch rolled back: forget everything and read the catalogue afresh next time.</summary>
    public void Clear()
    {
        _byUri.Clear();
        _tracks.Clear();
        _artists.Clear();
        _albums.Clear();
        _maxTrack = _maxArtist = SeenTrack = SeenArtist = 0;
    }
}
