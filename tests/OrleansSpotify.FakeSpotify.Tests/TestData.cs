namespace OrleansSpotify.FakeSpotify.Tests;

/// <summary>Hand-made catalog items for precise scripting.</summary>
internal static class TestData
{
    public static readonly FakeArtist Artist = new("0OdUWJ0sBjDrqHygGUXeCF", "Band of Horses");

    public static readonly FakeArtist Guest = new("3TVXtAsR1Inumwj472S9r4", "Drake");

    public static readonly FakeAlbum Album = new("4vvLh0ymDeWsE4jlKWoKq8", "Everything All the Time", "album", "2006-03-21", [Artist], 10);

    public static readonly FakeEpisode Episode =
        new("512ojhOuo1ktJprKbVcKyQ", "Inside the Data Room", TimeSpan.FromMinutes(40), "38bS44xjbVVZ3No3ByF1dJ", "The Daily Signal");

    public static readonly FakeLocalTrack Local = new("929", TimeSpan.FromSeconds(174), "Halsey", "Manic (Deluxe)");

    private static int _next;

    /// <summary>A new track with a unique 22-character id.</summary>
    public static FakeTrack Track(int seconds = 215, string name = "The Funeral")
    {
        var n = Interlocked.Increment(ref _next);
        var id = ("trk" + n.ToString(System.Globalization.CultureInfo.InvariantCulture)).PadRight(22, 'x');
        return new FakeTrack(id, name, TimeSpan.FromSeconds(seconds), Album, [Artist], Isrc: "USSUB0614004", Genres: ["indie folk"], TrackNumber: 3);
    }
}
