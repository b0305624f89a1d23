using System.Security.Claims;
using OrleansSpotify.Host.Auth;
using OrleansSpotify.Storage;

namespace OrleansSpotify.Host.Api;

/// <summary>
/// Who sees a member's listening (live state, play count, plays, stats): everyone signed in when the member shares
/// it, else only the member. Their name and account status stay visible to the household either way.
/// </summary>
public static class MemberVisibility
{
    public static bool Sees(string? viewer, StoredAccount account) =>
        account.ShareStats || string.Equals(viewer, account.AccountKey, StringComparison.Ordinal);

    public static bool Sees(ClaimsPrincipal viewer, StoredAccount account) => Sees(viewer.FindFirstValue(AuthExtensions.MemberClaim), account);
}
