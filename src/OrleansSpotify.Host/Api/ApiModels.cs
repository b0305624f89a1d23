using OrleansSpotify.Abstractions;
using OrleansSpotify.Storage;

namespace OrleansSpotify.Host.Api;

/// <summary>A household member as the API shows it.</summary>
/// <param name="ReauthorizeBy">Spotify refresh tokens die 6 months after sign-in; the member must sign in again before this.</param>
public sealed record AccountView(
    string Id,
    string DisplayName,
    string Status,
    string? StatusDetail,
    DateTimeOffset AuthorizedAt,
    DateTimeOffset ReauthorizeBy,
    DateTimeOffset? LastSuccessfulPoll,
    long PlayCount,
    bool ShareStats);

public sealed record ArtistView(string? Id, string Name);

public sealed record TrackView(string Uri, string? Id, string Name, long DurationMs, bool IsLocal, IReadOnlyList<ArtistView> Artists, string? AlbumId, string? AlbumName, string? ImageUrl);

/// <param name="PlayedAt">The end of the play, UTC.</param>
/// <param name="MsPlayed">Milliseconds actually played when the source reports it; null when it does not (recently-played).</param>
public sealed record PlayView(DateTimeOffset PlayedAt, TrackView Track, long? MsPlayed, string? ContextUri, string? ContextType, string Source);

/// <param name="NextBefore">Pass as <c>before</c> for the next (older) page; null on the last page.</param>
public sealed record PlayPageView(IReadOnlyList<PlayView> Items, DateTimeOffset? NextBefore, string? Next);

public sealed record NowPlayingView(
    string ItemType,
    bool IsPlaying,
    long? ProgressMs,
    long? DurationMs,
    string? Uri,
    string? Name,
    IReadOnlyList<string> Artists,
    string? AlbumName,
    string? ImageUrl,
    string? ContextUri,
    bool IsLocal,
    DateTimeOffset ObservedAt);

public sealed record MemberView(string Id, string DisplayName);

public sealed record InfoView(string Name, string Version, bool Demo);

internal static class ApiMappings
{
    public static readonly TimeSpan RefreshTokenLifetime = TimeSpan.FromDays(182);

    public static AccountView ToView(this StoredAccount account, ListenerStatus? listener) => new(
        account.AccountKey,
        account.DisplayName,
        account.Status.ToWire(),
        account.StatusDetail,
        account.AuthorizedAt,
        account.AuthorizedAt + RefreshTokenLifetime,
        listener?.LastSuccessfulPollAt,
        account.PlayCount,
        account.ShareStats);

    public static PlayView ToView(this StoredPlay play) => new(
        play.PlayedAt,
        new TrackView(
            play.Track.Uri,
            play.Track.SpotifyId,
            play.Track.Name,
            play.Track.DurationMs,
            play.Track.IsLocal,
            [.. play.Track.Artists.Select(a => new ArtistView(a.SpotifyId, a.Name))],
            play.Track.AlbumSpotifyId,
            play.Track.AlbumName,
            play.Track.AlbumImageUrl),
        play.MsPlayed,
        play.ContextUri,
        play.ContextType,
        play.Source switch
        {
            PlaySource.RecentlyPlayed => "recently-played",
            PlaySource.ImportExtendedHistory => "import-extended-history",
            PlaySource.ImportAccountData => "import-account-data",
            _ => "unknown",
        });

    public static NowPlayingView ToView(this NowPlaying now) => new(
        now.ItemType, now.IsPlaying, now.ProgressMs, now.DurationMs, now.Uri, now.Name, now.Artists, now.AlbumName, now.ImageUrl, now.ContextUri, now.IsLocal, now.ObservedAt);
}
