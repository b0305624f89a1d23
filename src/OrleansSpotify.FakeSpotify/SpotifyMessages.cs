namespace OrleansSpotify.FakeSpotify;

/// <summary>Spotify's exact error texts (SPOTIFY.md §4.4, §5.3, §5.5, §6.6).</summary>
internal static class SpotifyMessages
{
    public const string NoTokenProvided = "No token provided";
    public const string InvalidAccessToken = "Invalid access token";
    public const string AccessTokenExpired = "The access token expired";
    public const string AccessTokenMissing = "Access token missing";
    public const string OnlyBearer = "Only valid bearer authentication supported";
    public const string InsufficientScope = "Insufficient client scope";
    public const string NotAllowlisted = "User not registered in the Developer Dashboard";
    public const string OwnerNotPremium =
        "Active premium subscription required for the owner of the app. When the subscription status changes, it can take a few hours before requests are allowed again.";
    public const string Forbidden = "Forbidden";
    public const string ResourceNotFound = "Resource not found";
    public const string ServiceNotFound = "Service not found";
    public const string ServerError = "Server error.";
    public const string InvalidLimit = "Invalid limit";
    public const string InvalidOffset = "Invalid offset";
    public const string NoSearchQuery = "No search query";
    public const string MissingSearchType = "Missing parameter type";
    public const string BadSearchType = "Bad search type field";
    public const string InvalidRedirectUriPage = "INVALID_CLIENT: Invalid redirect URI";
    public const string InvalidClientPage = "INVALID_CLIENT: Invalid client";
}
