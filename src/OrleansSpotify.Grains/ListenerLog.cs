using Microsoft.Extensions.Logging;

namespace OrleansSpotify.Grains;

/// <summary>The log messages of <see cref="ListenerGrain"/> and its parts (<see cref="ListenerTokenHolder"/>, <see cref="PollFailure"/>, <see cref="ListenerAnnouncer"/>, <see cref="LatestPlayTime"/>).</summary>
internal static partial class ListenerLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Account {Account} signed in; polling starts")]
    public static partial void Authorized(ILogger logger, string account);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Account {Account}: access token refreshed, valid until {ExpiresAt}")]
    public static partial void TokensRefreshed(ILogger logger, string account, DateTimeOffset expiresAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Account {Account} needs to sign in again: {Reason}. Its polling stops; other accounts continue")]
    public static partial void NeedsReauth(ILogger logger, string account, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Account {Account}: Spotify rate limit until {RetryAt} (quota exceeded: {Quota}, request sent: {Sent})")]
    public static partial void RateLimited(ILogger logger, string account, DateTimeOffset retryAt, bool quota, bool sent);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Account {Account} is refused by Spotify: {Reason}")]
    public static partial void Blocked(ILogger logger, string account, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Account {Account}: poll failed ({Failures} in a row); next try in {Delay}")]
    public static partial void PollFailed(ILogger logger, Exception exception, string account, int failures, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Error, Message = "Account {Account}: could not save the poll's outcome (is the database writable?); polling goes on, next try in {Delay}")]
    public static partial void PollWriteFailed(ILogger logger, Exception exception, string account, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Account {Account}: could not announce a live change")]
    public static partial void AnnounceFailed(ILogger logger, Exception exception, string account);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Account {Account}: could not read the time of its latest play")]
    public static partial void LatestPlayFailed(ILogger logger, Exception exception, string account);

    [LoggerMessage(Level = LogLevel.Information, Message = "Account {Account}: {Added} new plays recorded ({Read} offered: recently-played and live capture)")]
    public static partial void PlaysRecorded(ILogger logger, string account, int added, int read);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Account {Account}: the quota governor gave no budget; polling unpaced")]
    public static partial void BudgetUnavailable(ILogger logger, Exception exception, string account);
}
