namespace OrleansSpotify.Abstractions;

/// <summary>Where a household account stands with Spotify.</summary>
[GenerateSerializer]
[Alias("OrleansSpotify.AccountStatus")]
public enum AccountStatus
{
    /// <summary>Signed in; the listener polls.</summary>
    Active = 0,

    /// <summary>Spotify answered <c>invalid_grant</c>: the member must sign in again. Nothing is polled.</summary>
    NeedsReauth = 1,

    /// <summary>Spotify refuses the account (not on the app's allowlist, owner without Premium): retried rarely.</summary>
    Blocked = 2,

    /// <summary>Polling was stopped on purpose.</summary>
    Stopped = 3,
}

public static class AccountStatusNames
{
    public static string ToWire(this AccountStatus status) => status switch
    {
        AccountStatus.Active => "active",
        AccountStatus.NeedsReauth => "needs-reauth",
        AccountStatus.Blocked => "blocked",
        AccountStatus.Stopped => "stopped",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static AccountStatus FromWire(string value) => value switch
    {
        "active" => AccountStatus.Active,
        "needs-reauth" => AccountStatus.NeedsReauth,
        "blocked" => AccountStatus.Blocked,
        "stopped" => AccountStatus.Stopped,
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, "Unknown account status."),
    };
}
