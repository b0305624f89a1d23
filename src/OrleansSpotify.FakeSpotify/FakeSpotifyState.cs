namespace OrleansSpotify.FakeSpotify;

/// <summary>
/// Everything the fake server knows, shared by the public façade, the users and the endpoints.
/// One lock (<see cref="Gate"/>) guards all of it; it is re-entrant, so helpers may nest.
/// </summary>
internal sealed class FakeSpotifyState
{
    private readonly Dictionary<string, FakeUser> _users = new(StringComparer.Ordinal);
    private readonly List<FakeUser> _userOrder = [];
    private readonly Dictionary<string, KnownArtist> _artists = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FakeTrack> _tracks = new(StringComparer.Ordinal);
    private readonly Queue<FakeRequest> _requests = new();
    private Uri _baseUri = new("http://127.0.0.1/");

    public FakeSpotifyState(FakeSpotifyOptions options, TimeProvider clock)
    {
        Options = options;
        Clock = clock;
        Tokens = new TokenRegistry(this);
        Faults = new FakeFaults(this);
        Json = new SpotifyJson(this);
    }

    public Lock Gate { get; } = new();

    public FakeSpotifyOptions Options { get; }

    public TimeProvider Clock { get; }

    public TokenRegistry Tokens { get; }

    public FakeFaults Faults { get; }

    public SpotifyJson Json { get; }

    public Uri BaseUri => _baseUri;

    public Uri ApiBaseUri { get; private set; } = new("http://127.0.0.1/v1/");

    public DateTimeOffset Now => Clock.GetUtcNow();

    public void SetBaseUri(Uri baseUri)
    {
        _baseUri = baseUri;
        ApiBaseUri = new Uri(baseUri, "v1/");
    }

    public FakeUser AddUser(string id, string displayName, string? accountId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentException.ThrowIfNullOrWhiteSpace(displayName);
        lock (Gate)
        {
            if (_users.ContainsKey(id))
            {
                throw new InvalidOperationException($"A user with id '{id}' already exists.");
            }

            var user = new FakeUser(this, id, displayName, accountId);
            _users.Add(id, user);
            _userOrder.Add(user);
            return user;
        }
    }

    public FakeUser GetUser(string id)
    {
        lock (Gate)
        {
            return _users.TryGetValue(id, out var user)
                ? user
                : throw new KeyNotFoundException($"No user with id '{id}'.");
        }
    }

    public FakeUser? FindUser(string id)
    {
        lock (Gate)
        {
            return _users.GetValueOrDefault(id);
        }
    }

    public IReadOnlyList<FakeUser> Users
    {
        get
        {
            lock (Gate)
            {
                return [.. _userOrder];
            }
        }
    }

    /// <summary>Makes a catalog's artists (with their genres) and tracks servable by <c>/v1/artists/{id}</c> and <c>/v1/tracks/{id}</c>.</summary>
    public void AddCatalog(FakeCatalog catalog)
    {
        lock (Gate)
        {
            foreach (var artist in catalog.Artists)
            {
                _artists[artist.Id] = new KnownArtist(artist, catalog.GenresOf(artist.Id), FromCatalog: true);
            }

            foreach (var track in catalog.Tracks)
            {
                _tracks[track.Id] = track;
            }
        }
    }

    /// <summary>Indexes the artists and track of a scripted item so the catalog endpoints can serve them.</summary>
    public void RegisterItem(FakeItem item)
    {
        if (item is not FakeTrack track)
        {
            return;
        }

        lock (Gate)
        {
            _tracks.TryAdd(track.Id, track);
            for (var i = 0; i < track.Artists.Count; i++)
            {
                var artist = track.Artists[i];
                var genres = i == 0 && track.Genres is { } known ? known : [];
                if (!_artists.TryGetValue(artist.Id, out var existing)
                    || (!existing.FromCatalog && existing.Genres.Count == 0 && genres.Count > 0))
                {
                    _artists[artist.Id] = new KnownArtist(artist, genres, FromCatalog: false);
                }
            }

            foreach (var artist in track.Album.Artists)
            {
                _artists.TryAdd(artist.Id, new KnownArtist(artist, [], FromCatalog: false));
            }
        }
    }

    public KnownArtist? FindArtist(string id)
    {
        lock (Gate)
        {
            return _artists.GetValueOrDefault(id);
        }
    }

    /// <summary>Every track the catalog endpoints serve, by id (ordinal): the order search answers in.</summary>
    public IReadOnlyList<FakeTrack> AllTracks()
    {
        lock (Gate)
        {
            return [.. _tracks.Values.OrderBy(t => t.Id, StringComparer.Ordinal)];
        }
    }

    public FakeTrack? FindTrack(string id)
    {
        lock (Gate)
        {
            return _tracks.GetValueOrDefault(id);
        }
    }

    /// <summary>Raised after a request was logged, outside the lock, on the request's thread.</summary>
    public event Action<FakeRequest>? RequestLogged;

    public void LogRequest(FakeRequest request)
    {
        lock (Gate)
        {
            _requests.Enqueue(request);
            var max = Math.Max(1, Options.MaxLoggedRequests);
            while (_requests.Count > max)
            {
                _requests.Dequeue();
            }
        }

        RequestLogged?.Invoke(request);
    }

    public IReadOnlyList<FakeRequest> Requests
    {
        get
        {
            lock (Gate)
            {
                return [.. _requests];
            }
        }
    }

    public void ClearRequests()
    {
        lock (Gate)
        {
            _requests.Clear();
        }
    }
}

/// <summary>An artist the catalog endpoints can serve, with the genres <c>GET /v1/artists/{id}</c> reports.</summary>
internal sealed record KnownArtist(FakeArtist Artist, IReadOnlyList<string> Genres, bool FromCatalog);
