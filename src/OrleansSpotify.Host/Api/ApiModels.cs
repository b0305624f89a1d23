using OrleansSpotify.Abstractions;
using OrleansSpotify.Storage;

namespace OrleansSpotify.Host.Api;

/// <summary>A household member as the API shows it.</summary>
/// <param name="PlayCount">Null when the member keeps their listening private and the viewer is someone else.</param>
/// <param name="ReauthorizeBy">Spotify refresh tokens die 6 months after sign-in; the member must sign in again before this.</param>
/// <param name="ResumesAt">
/// While Spotify has paused the app (a 429 <c>QUOTA_EXCEEDED</c> or a <c>Retry-After</c>: one pause for every account,
/// nothing is sent before it ends), when it ends; null when no pause holds.
/// </param>
/// <param name="PauseReason">quota-exceeded or rate-limit while <paramref name="ResumesAt"/> is set (null when the reason is unknown).</param>
public sealed record AccountView(
    string Id,
    string DisplayName,
    string Status,
    string? StatusDetail,
    DateTimeOffset AuthorizedAt,
    DateTimeOffset ReauthorizeBy,
    DateTimeOffset? LastSuccessfulPoll,
    long? PlayCount,
    bool ShareStats,
    DateTimeOffset? ResumesAt,
    string? PauseReason);

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

/// <summary>An account's live state (household overview, embed card, the hub's <c>nowPlaying</c>).</summary>
/// <param name="State">playing, paused or idle.</param>
/// <param name="Since">
/// playing: when this item was first seen playing; paused: when the pause was first seen; idle: when the account was
/// last seen playing, else its latest recorded play's time, else null.
/// </param>
/// <param name="Item">Null when idle.</param>
public sealed record LiveStateView(string AccountId, string DisplayName, PlaybackState State, DateTimeOffset? Since, NowPlayingView? Item);

/// <summary>One play in the household's feed.</summary>
public sealed record FeedItemView(string AccountId, string DisplayName, PlayView Play);

/// <summary>The hub's <c>playsAdded</c>: an account's newly committed plays, newest first.</summary>
public sealed record PlaysAddedView(string AccountId, string DisplayName, IReadOnlyList<PlayView> Plays);

/// <summary>A share token as its owner sees it in the list; the token itself is never shown again.</summary>
/// <param name="Hint">The token's last 4 characters.</param>
public sealed record ShareTokenView(string Id, string Label, bool IncludeRecent, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, string Hint);

/// <summary>The body of <c>POST /api/me/share-tokens</c>.</summary>
/// <param name="Label">1 to 60 characters, to tell the member's links apart.</param>
/// <param name="IncludeRecent">Whether the card may show the latest plays too.</param>
public sealed record CreateShareTokenRequest(string Label, bool IncludeRecent);

/// <summary>A share token just created: the only answer that carries the token.</summary>
/// <param name="EmbedUrl">The embeddable page, relative to the site.</param>
/// <param name="SvgUrl">The SVG card, relative to the site.</param>
public sealed record CreatedShareTokenView(string Id, string Label, bool IncludeRecent, DateTimeOffset CreatedAt, string Token, string EmbedUrl, string SvgUrl);

/// <summary>What a share token shows: the live state and, when the token allows it, the latest 5 plays.</summary>
public sealed record EmbedView(string DisplayName, LiveStateView Live, IReadOnlyList<PlayView>? Recent);

/// <param name="DemoDataComplete">
/// In demo mode, whether the demo household's months of imported history are all in (false while the import runs);
/// null outside demo mode.
/// </param>
public sealed record InfoView(string Name, string Version, bool Demo, bool? DemoDataComplete);

internal static class ApiMappings
{
    public static readonly TimeSpan RefreshTokenLifetime = TimeSpan.FromDays(182);

    /// <summary>The account as <paramref name="viewer"/> may see it: a private member's play count only to themselves.</summary>
    public static AccountView ToView(this StoredAccount account, ListenerStatus? listener, string? viewer, SpotifyPauseView? pause = null) =>
        account.ToView(listener, MemberVisibility.Sees(viewer, account), pause);

    /// <param name="showPlayCount">False for anyone but the member when the member keeps their listening private.</param>
    /// <param name="pause">The app-wide Spotify pause in force (<see cref="SpotifyPauseView.From"/>), if any.</param>
    public static AccountView ToView(this StoredAccount account, ListenerStatus? listener, bool showPlayCount, SpotifyPauseView? pause = null) => new(
        account.AccountKey,
        account.DisplayName,
        account.Status.ToWire(),
        account.StatusDetail,
        account.AuthorizedAt,
        account.AuthorizedAt + RefreshTokenLifetime,
        listener?.LastSuccessfulPollAt,
        showPlayCount ? account.PlayCount : null,
        account.ShareStats,
        pause?.ResumesAt,
        pause?.Reason);

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
        SourceName(play.Source));

    private static string SourceName(PlaySource source) => source switch
    {
        PlaySource.RecentlyPlayed => "recently-played",
        PlaySource.ImportExtendedHistory => "import-extended-history",
        PlaySource.ImportAccountData => "import-account-data",
        _ => "unknown",
    };

    /// <summary>A play as just committed, shown as the plays API would read it back.</summary>
    public static PlayView ToView(this PlayRecord play)
    {
        // Only albums with a Spotify id are catalogued (see PlayWriter), and instants are stored to the millisecond.
        var album = play.Track.Album is { SpotifyId.Length: > 0 } a ? a : null;
        var artists = play.Track.Artists.IsDefault ? [] : play.Track.Artists;
        return new PlayView(
            DateTimeOffset.FromUnixTimeMilliseconds(play.PlayedAt.ToUnixTimeMilliseconds()),
            new TrackView(
                play.Track.Uri,
                play.Track.SpotifyId,
                play.Track.Name,
                play.Track.DurationMs,
                play.Track.IsLocal,
                [.. artists.Select(x => new ArtistView(x.SpotifyId, x.Name))],
                album?.SpotifyId,
                album?.Name,
                album?.ImageUrl),
            play.MsPlayed,
            play.ContextUri,
            play.ContextType,
            SourceName(play.Source));
    }

    public static LiveStateView ToView(this LiveState live, string displayName) =>
        new(live.AccountKey, displayName, live.State, live.Since, live.Item?.ToView());

    public static ShareTokenView ToView(this StoredShareToken token) => new(
        token.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), token.Label, token.IncludeRecent, token.CreatedAt, token.LastUsedAt, token.Hint);

    public static NowPlayingView ToView(this NowPlaying now) => new(
        now.ItemType, now.IsPlaying, now.ProgressMs, now.DurationMs, now.Uri, now.Name, now.Artists, now.AlbumName, now.ImageUrl, now.ContextUri, now.IsLocal, now.ObservedAt);
}
