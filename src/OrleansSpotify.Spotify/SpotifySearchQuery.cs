namespace OrleansSpotify.Spotify;

/// <summary>The <c>q</c> of <c>GET /search</c> for one recording: <c>track:"…" artist:"…"</c>.</summary>
public static class SpotifySearchQuery
{
    /// <summary>
    /// Field filters for a title and an artist, each in double quotes (a double quote inside a name would end the
    /// value early, so it becomes a space); the artist filter is left out when there is no artist.
    /// </summary>
    public static string ForTrack(string title, string? artist)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        var query = $"track:\"{Clean(title)}\"";
        return string.IsNullOrWhiteSpace(artist) ? query : query + $" artist:\"{Clean(artist)}\"";
    }

    private static string Clean(string value) => value.Replace('"', ' ').Trim();
}
