namespace OrleansSpotify.Spotify.Http;

internal static class SpotifyUris
{
    /// <summary>Relative paths resolve under a base only when it ends in '/' (<c>…/v1</c> + <c>me</c> would drop <c>v1</c>).</summary>
    public static Uri WithTrailingSlash(Uri baseUrl) =>
        baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");
}
