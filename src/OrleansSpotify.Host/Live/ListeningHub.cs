using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.SignalR;
using OrleansSpotify.Host.Auth;
using OrleansSpotify.Storage;

namespace OrleansSpotify.Host.Live;

/// <summary>
/// <c>/hubs/listening</c>: server-to-client only. A member (cookie) joins the household's group and their own; a
/// share token (<c>?share=</c>) joins its token's group and hears only its account. What is sent where is decided by
/// <see cref="HubListeningEvents"/>.
/// </summary>
public sealed class ListeningHub(ShareConnections shares, ShareTokenStore tokens) : Hub
{
    public const string Path = "/hubs/listening";

    /// <summary>Client methods (the contract's names).</summary>
    public const string NowPlaying = "nowPlaying";

    public const string PlaysAdded = "playsAdded";

    public const string AccountChanged = "accountChanged";

    /// <summary>An import job's progress (<see cref="Api.ImportJobView"/>), only to the member who imports.</summary>
    public const string ImportProgress = "importProgress";

    public override async Task OnConnectedAsync()
    {
        var user = Context.User ?? new ClaimsPrincipal();

        // A connection that presents a share token is an embed, whoever's browser it runs in (a member viewing their
        // own website, say): it hears only what the token allows, and revoking the token cuts it.
        if (user.FindFirstValue(ShareTokenAuthenticationHandler.TokenIdClaim) is { } id
            && long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var tokenId)
            && user.FindFirstValue(ShareTokenAuthenticationHandler.AccountClaim) is { } account)
        {
            var recent = user.FindFirstValue(ShareTokenAuthenticationHandler.IncludeRecentClaim) == "true";
            shares.Add(new ShareConnection(Context.ConnectionId, tokenId, account, recent, Context));
            await Groups.AddToGroupAsync(Context.ConnectionId, ListeningGroups.Share(tokenId));

            // A revocation between the token's check and the registration above would otherwise go unnoticed.
            if (!tokens.Exists(tokenId))
            {
                shares.Remove(Context.ConnectionId);
                Context.Abort();
            }

            return;
        }

        if (user.FindFirstValue(AuthExtensions.MemberClaim) is { } member)
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, ListeningGroups.Members);
            await Groups.AddToGroupAsync(Context.ConnectionId, ListeningGroups.Member(member));
            return;
        }

        Context.Abort();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        shares.Remove(Context.ConnectionId);
        return Task.CompletedTask;
    }
}

/// <summary>The hub's group names.</summary>
public static class ListeningGroups
{
    /// <summary>Every signed-in member's connections.</summary>
    public const string Members = "members";

    /// <summary>One member's connections (their private plays go only here).</summary>
    public static string Member(string accountKey) => "member:" + accountKey;

    /// <summary>The connections of one share token.</summary>
    public static string Share(long tokenId) => "share:" + tokenId.ToString(CultureInfo.InvariantCulture);
}
