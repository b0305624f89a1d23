namespace OrleansSpotify.FakeSpotify;

/// <summary>A ready-made household of three listeners for demo mode and tests.</summary>
public static class FakeHousehold
{
    private static readonly DemoPersona[] Personas =
    [
        // An album listener with a podcast habit.
        new("alex", "Alex Morgan", TimeSpan.Zero, FreeTier: false, LocalFiles: false,
            ShortSkipRate: 0.05, MidSkipRate: 0.04, RepeatRate: 0.03, PodcastRate: 0.15, PrivateRate: 0,
            ContextWeights: new(Album: 45, Playlist: 15, Liked: 15, Artist: 15, None: 10)),

        // A playlist skipper with local files and the odd private session.
        new("sam", "Sam Rivera", TimeSpan.FromSeconds(3), FreeTier: false, LocalFiles: true,
            ShortSkipRate: 0.15, MidSkipRate: 0.10, RepeatRate: 0.02, PodcastRate: 0.03, PrivateRate: 0.05,
            ContextWeights: new(Album: 10, Playlist: 55, Liked: 15, Artist: 5, None: 15)),

        // A free-tier listener (ads) living in Liked Songs, fond of repeating a track.
        new("robin", "Robin Chen", TimeSpan.FromSeconds(7), FreeTier: true, LocalFiles: false,
            ShortSkipRate: 0.08, MidSkipRate: 0.05, RepeatRate: 0.07, PodcastRate: 0.05, PrivateRate: 0,
            ContextWeights: new(Album: 10, Playlist: 20, Liked: 55, Artist: 5, None: 10)),
    ];

    /// <summary>
    /// Adds (or reuses) the users "alex", "sam" and "robin" and scripts realistic listening over [from, from + span):
    /// album, playlist, artist and Liked Songs (<c>spotify:user:&lt;id&gt;:collection</c>) sessions, repeats of a
    /// track, skips under 30 s, the occasional episode, ads for the free-tier user and local files. Every user
    /// starts playing within seconds of <paramref name="from"/>. The same seed gives the same timelines.
    /// Also serves <paramref name="catalog"/> from the catalog endpoints.
    /// </summary>
    public static IReadOnlyList<FakeUser> SeedDemo(FakeSpotifyServer server, FakeCatalog catalog, DateTimeOffset from, TimeSpan span, int seed)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(span, TimeSpan.Zero);
        if (catalog.Tracks.Count == 0)
        {
            throw new ArgumentException("The catalog has no tracks.", nameof(catalog));
        }

        server.AddCatalog(catalog);
        var users = new List<FakeUser>(Personas.Length);
        for (var i = 0; i < Personas.Length; i++)
        {
            var persona = Personas[i];
            var user = server.Users.FirstOrDefault(u => u.Id == persona.Id)
                ?? server.AddUser(persona.Id, persona.DisplayName, SpotifyIds.FromText("account:" + persona.Id));
            var random = new Random(unchecked((seed * 7919) + i));
            var listener = new DemoListener(user, persona, catalog, random, seed);
            listener.Script(from + persona.StartOffset, from + span);
            users.Add(user);
        }

        return users;
    }
}
