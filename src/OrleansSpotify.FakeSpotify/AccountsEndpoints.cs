using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;

namespace OrleansSpotify.FakeSpotify;

/// <summary>
/// The accounts service (SPOTIFY.md §4): <c>GET /authorize</c> (authorization code, optional PKCE S256) and
/// <c>POST /api/token</c> (code exchange and refresh, Basic or PKCE client authentication).
/// </summary>
internal sealed class AccountsEndpoints(FakeSpotifyState state)
{
    /// <summary>Query parameters the chooser page adds to sign a user in or to cancel.</summary>
    private const string ChosenUserParameter = "fake_user";
    private const string CancelParameter = "fake_cancel";

    public static void Map(IEndpointRouteBuilder routes, FakeSpotifyState state)
    {
        var endpoints = new AccountsEndpoints(state);
        routes.MapGet("/authorize", endpoints.AuthorizeAsync).WithMetadata(new FakeRoute("authorize", null, IsWebApi: false));
        routes.MapPost("/api/token", endpoints.TokenAsync).WithMetadata(new FakeRoute("token", FakeEndpoint.Token, IsWebApi: false));
    }

    private Task AuthorizeAsync(HttpContext context)
    {
        var query = context.Request.Query;
        var options = state.Options;
        if (!string.Equals(Single(query, "client_id"), options.ClientId, StringComparison.Ordinal))
        {
            return SpotifyResponses.HtmlAsync(context, StatusCodes.Status400BadRequest, AuthorizePage.Error(SpotifyMessages.InvalidClientPage));
        }

        var redirectUri = Single(query, "redirect_uri");
        if (redirectUri is null || !RedirectUris.IsAllowed(redirectUri, options.RegisteredRedirectUris, options.AllowAnyRedirectUri))
        {
            return SpotifyResponses.HtmlAsync(context, StatusCodes.Status400BadRequest, AuthorizePage.Error(SpotifyMessages.InvalidRedirectUriPage));
        }

        var stateParameter = Single(query, "state");
        if (Single(query, "response_type") != "code")
        {
            return RedirectAsync(context, redirectUri, stateParameter, ("error", "unsupported_response_type"));
        }

        var challenge = Single(query, "code_challenge");
        var method = Single(query, "code_challenge_method");
        if (challenge is not null || method is not null)
        {
            if (method != "S256")
            {
                return RedirectAsync(context, redirectUri, stateParameter,
                    ("error", "invalid_request"), ("error_description", "code_challenge_method must be S256"));
            }

            if (challenge is not { Length: 43 })
            {
                return RedirectAsync(context, redirectUri, stateParameter,
                    ("error", "invalid_request"), ("error_description", "code_challenge must be 43 characters"));
            }
        }

        if (query.ContainsKey(CancelParameter))
        {
            return RedirectAsync(context, redirectUri, stateParameter, ("error", "access_denied"));
        }

        var scope = string.Join(' ', (Single(query, "scope") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries));
        var userId = Single(query, ChosenUserParameter) ?? options.AutoApproveUserId;
        if (userId is null)
        {
            // Relative links: the page also works where a host serves it under another path (the demo's
            // /demo/spotify/authorize).
            var choices = state.Users.Select(user =>
                (user, "authorize" + context.Request.QueryString.Add(ChosenUserParameter, user.Id)));
            var cancel = "authorize" + context.Request.QueryString.Add(CancelParameter, "1");
            return SpotifyResponses.HtmlAsync(context, StatusCodes.Status200OK, AuthorizePage.Chooser(choices, scope, cancel));
        }

        if (state.FindUser(userId) is null)
        {
            return SpotifyResponses.HtmlAsync(context, StatusCodes.Status400BadRequest, AuthorizePage.Error($"No user '{userId}' on this fake server."));
        }

        context.Items[RequestPipeline.UserIdKey] = userId;
        var code = state.Tokens.IssueCode(userId, redirectUri, challenge, scope);
        return RedirectAsync(context, redirectUri, stateParameter, ("code", code));
    }

    private async Task TokenAsync(HttpContext context)
    {
        var form = context.Request.HasFormContentType
            ? await context.Request.ReadFormAsync(context.RequestAborted)
            : FormCollection.Empty;

        var client = AuthenticateClient(context, form);
        if (client.Error is { } error)
        {
            await SpotifyResponses.OAuthErrorAsync(context, StatusCodes.Status401Unauthorized, "invalid_client", error);
            return;
        }

        TokenOutcome outcome;
        switch (Single(form, "grant_type"))
        {
            case "authorization_code":
                outcome = state.Tokens.ExchangeCode(
                    Single(form, "code"), Single(form, "redirect_uri"), Single(form, "code_verifier"), client.Confidential);
                break;
            case "refresh_token":
                outcome = state.Tokens.Refresh(Single(form, "refresh_token"), client.Confidential);
                break;
            case null:
                await SpotifyResponses.OAuthErrorAsync(context, StatusCodes.Status400BadRequest, "unsupported_grant_type", "grant_type parameter is missing");
                return;
            default:
                await SpotifyResponses.OAuthErrorAsync(context, StatusCodes.Status400BadRequest, "unsupported_grant_type",
                    "grant_type must be client_credentials, authorization_code or refresh_token");
                return;
        }

        context.Items[RequestPipeline.UserIdKey] = outcome.UserId;
        switch (outcome)
        {
            case TokenIssued issued:
                var body = new JsonObject
                {
                    ["access_token"] = issued.AccessToken,
                    ["token_type"] = "Bearer",
                    ["expires_in"] = issued.ExpiresInSeconds,
                };
                if (issued.RefreshToken is not null)
                {
                    body["refresh_token"] = issued.RefreshToken;
                }

                body["scope"] = issued.Scope;
                await SpotifyResponses.JsonAsync(context, StatusCodes.Status200OK, body);
                break;
            case TokenRefused refused:
                await SpotifyResponses.OAuthErrorAsync(context, refused.Status, refused.Error, refused.Description);
                break;
        }
    }

    /// <summary>
    /// Basic <c>base64(id:secret)</c> or <c>client_id</c> (+ optional <c>client_secret</c>) in the body.
    /// Confidential means the secret was presented and correct.
    /// </summary>
    private ClientAuthentication AuthenticateClient(HttpContext context, IFormCollection form)
    {
        var options = state.Options;
        string? clientId;
        string? secret;
        var header = context.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            if (!TryDecodeBasic(header["Basic ".Length..].Trim(), out clientId, out secret))
            {
                return new ClientAuthentication(false, "Invalid client");
            }
        }
        else
        {
            clientId = Single(form, "client_id");
            secret = Single(form, "client_secret");
        }

        if (!string.Equals(clientId, options.ClientId, StringComparison.Ordinal))
        {
            return new ClientAuthentication(false, "Invalid client");
        }

        if (secret is null)
        {
            return new ClientAuthentication(false, null);
        }

        return options.ClientSecret is not null && string.Equals(secret, options.ClientSecret, StringComparison.Ordinal)
            ? new ClientAuthentication(true, null)
            : new ClientAuthentication(false, "Invalid client secret");
    }

    private static bool TryDecodeBasic(string encoded, out string? clientId, out string? secret)
    {
        clientId = null;
        secret = null;
        var buffer = new byte[encoded.Length];
        if (!Convert.TryFromBase64String(encoded, buffer, out var written))
        {
            return false;
        }

        var decoded = Encoding.UTF8.GetString(buffer, 0, written);
        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return false;
        }

        clientId = decoded[..colon];
        secret = decoded[(colon + 1)..];
        return true;
    }

    private static Task RedirectAsync(HttpContext context, string redirectUri, string? stateParameter, params (string Name, string Value)[] parameters)
    {
        var values = parameters.Select(p => new KeyValuePair<string, string?>(p.Name, p.Value)).ToList();
        if (stateParameter is not null)
        {
            values.Add(new KeyValuePair<string, string?>("state", stateParameter));
        }

        context.Response.StatusCode = StatusCodes.Status302Found;
        context.Response.Headers.Location = QueryHelpers.AddQueryString(redirectUri, values);
        return Task.CompletedTask;
    }

    private static string? Single(IQueryCollection query, string name) => First(query[name]);

    private static string? Single(IFormCollection form, string name) => First(form[name]);

    private static string? First(StringValues values) => values.Count == 0 ? null : values[0];

    private sealed record ClientAuthentication(bool Confidential, string? Error);
}
