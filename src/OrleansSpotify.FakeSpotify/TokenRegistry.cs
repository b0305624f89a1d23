namespace OrleansSpotify.FakeSpotify;

/// <summary>
/// Authorization codes, grants (one per sign-in), refresh tokens and access tokens, with Spotify's rules:
/// single-use 10-minute codes, PKCE rotation, a hard refresh-token expiry counted from the authorization.
/// </summary>
internal sealed class TokenRegistry(FakeSpotifyState state)
{
    public const string DefaultScope = "user-read-currently-playing user-read-playback-state user-read-recently-played";

    private static readonly TimeSpan CodeLifetime = TimeSpan.FromMinutes(10);

    private readonly Dictionary<string, AuthorizationCode> _codes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RefreshTokenEntry> _refreshTokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AccessTokenEntry> _accessTokens = new(StringComparer.Ordinal);

    public string IssueCode(string userId, string redirectUri, string? codeChallenge, string scope)
    {
        lock (state.Gate)
        {
            var code = SpotifyIds.NewSecret("AQ", 200);
            _codes[code] = new AuthorizationCode(userId, redirectUri, codeChallenge, scope, state.Now);
            return code;
        }
    }

    /// <summary><c>grant_type=authorization_code</c>. The code is spent by any attempt that names it.</summary>
    public TokenOutcome ExchangeCode(string? code, string? redirectUri, string? codeVerifier, bool confidentialClient)
    {
        lock (state.Gate)
        {
            var now = state.Now;
            if (code is null || !_codes.Remove(code, out var issued) || now >= issued.IssuedAt + CodeLifetime)
            {
                return TokenOutcome.InvalidGrant("Invalid authorization code");
            }

            if (!string.Equals(redirectUri, issued.RedirectUri, StringComparison.Ordinal))
            {
                return TokenOutcome.InvalidGrant("Invalid redirect URI", issued.UserId);
            }

            if (issued.CodeChallenge is not null)
            {
                if (string.IsNullOrEmpty(codeVerifier))
                {
                    return TokenOutcome.Refused(400, "invalid_request", "code_verifier required", issued.UserId);
                }

                if (!Pkce.Matches(codeVerifier, issued.CodeChallenge))
                {
                    return TokenOutcome.InvalidGrant("code_verifier was incorrect", issued.UserId);
                }
            }
            else if (!confidentialClient)
            {
                return TokenOutcome.Refused(400, "invalid_request", "code_verifier required", issued.UserId);
            }

            var grant = new Grant(issued.UserId, issued.IssuedAt, pkce: !confidentialClient, issued.Scope);
            return Issue(grant, includeRefreshToken: true);
        }
    }

    /// <summary><c>grant_type=refresh_token</c>. PKCE grants always rotate; confidential ones per the options.</summary>
    public TokenOutcome Refresh(string? refreshToken, bool confidentialClient)
    {
        lock (state.Gate)
        {
            if (refreshToken is null || !_refreshTokens.TryGetValue(refreshToken, out var entry))
            {
                return TokenOutcome.InvalidGrant("Invalid refresh token");
            }

            var grant = entry.Grant;
            if (entry.Rotated || grant.Revoked)
            {
                return TokenOutcome.InvalidGrant("Refresh token revoked", grant.UserId);
            }

            if (state.Now >= grant.AuthorizedAt + state.Options.RefreshTokenLifetime)
            {
                return TokenOutcome.InvalidGrant("Refresh token expired", grant.UserId);
            }

            if (!grant.Pkce && state.Options.ClientSecret is not null && !confidentialClient)
            {
                return TokenOutcome.Refused(401, "invalid_client", "Invalid client secret", grant.UserId);
            }

            var rotate = grant.Pkce || state.Options.ConfidentialRefreshReturnsRefreshToken;
            if (rotate)
            {
                entry.Rotated = true;
            }

            return Issue(grant, includeRefreshToken: rotate);
        }
    }

    /// <summary>Tokens as if the user had signed in just now (tests that skip the browser).</summary>
    public FakeGrant IssueGrant(string userId, bool pkce, string scope)
    {
        lock (state.Gate)
        {
            var grant = new Grant(userId, state.Now, pkce, scope);
            var issued = (TokenIssued)Issue(grant, includeRefreshToken: true);
            return new FakeGrant(issued.AccessToken, issued.RefreshToken!, issued.ExpiresInSeconds, scope, grant.AuthorizedAt);
        }
    }

    /// <summary>Every access and refresh token issued so far (tests that look for leaked secrets).</summary>
    public IReadOnlyList<string> IssuedTokens()
    {
        lock (state.Gate)
        {
            return [.. _accessTokens.Keys, .. _refreshTokens.Keys];
        }
    }

    public AccessCheck CheckAccessToken(string token)
    {
        lock (state.Gate)
        {
            if (!_accessTokens.TryGetValue(token, out var entry))
            {
                return new AccessCheck(AccessTokenStatus.Unknown, null, "");
            }

            var status = entry.ForcedExpired || state.Now >= entry.ExpiresAt ? AccessTokenStatus.Expired : AccessTokenStatus.Valid;
            return new AccessCheck(status, entry.UserId, entry.Scope);
        }
    }

    /// <summary>The user a code or refresh token belongs to, for the request log; null when unknown.</summary>
    public string? UserOfCredential(string? code, string? refreshToken)
    {
        lock (state.Gate)
        {
            if (code is not null && _codes.TryGetValue(code, out var issued))
            {
                return issued.UserId;
            }

            return refreshToken is not null && _refreshTokens.TryGetValue(refreshToken, out var entry) ? entry.Grant.UserId : null;
        }
    }

    public void RevokeUser(string userId)
    {
        lock (state.Gate)
        {
            foreach (var entry in _refreshTokens.Values)
            {
                if (entry.Grant.UserId == userId)
                {
                    entry.Grant.Revoked = true;
                }
            }
        }
    }

    public void ExpireAccessTokens(string userId)
    {
        lock (state.Gate)
        {
            foreach (var entry in _accessTokens.Values)
            {
                if (entry.UserId == userId)
                {
                    entry.ForcedExpired = true;
                }
            }
        }
    }

    private TokenIssued Issue(Grant grant, bool includeRefreshToken)
    {
        var lifetime = state.Options.AccessTokenLifetime;
        var accessToken = SpotifyIds.NewSecret("BQ", 160);
        _accessTokens[accessToken] = new AccessTokenEntry(grant.UserId, grant.Scope, state.Now + lifetime);

        string? refreshToken = null;
        if (includeRefreshToken)
        {
            refreshToken = SpotifyIds.NewSecret("AQ", 131);
            _refreshTokens[refreshToken] = new RefreshTokenEntry(grant);
        }

        return new TokenIssued(accessToken, refreshToken, (int)lifetime.TotalSeconds, grant.Scope, grant.UserId);
    }

    private sealed record AuthorizationCode(string UserId, string RedirectUri, string? CodeChallenge, string Scope, DateTimeOffset IssuedAt);

    private sealed class Grant(string userId, DateTimeOffset authorizedAt, bool pkce, string scope)
    {
        public string UserId { get; } = userId;

        public DateTimeOffset AuthorizedAt { get; } = authorizedAt;

        public bool Pkce { get; } = pkce;

        public string Scope { get; } = scope;

        public bool Revoked { get; set; }
    }

    private sealed class RefreshTokenEntry(Grant grant)
    {
        public Grant Grant { get; } = grant;

        /// <summary>Spent by a rotation: reuse answers "Refresh token revoked".</summary>
        public bool Rotated { get; set; }
    }

    private sealed class AccessTokenEntry(string userId, string scope, DateTimeOffset expiresAt)
    {
        public string UserId { get; } = userId;

        public string Scope { get; } = scope;

        public DateTimeOffset ExpiresAt { get; } = expiresAt;

        public bool ForcedExpired { get; set; }
    }
}

internal enum AccessTokenStatus
{
    Unknown,
    Expired,
    Valid,
}

internal sealed record AccessCheck(AccessTokenStatus Status, string? UserId, string Scope)
{
    public bool HasScope(string scope) => Scope.Split(' ').Contains(scope, StringComparer.Ordinal);
}

/// <summary>What the token endpoint answers: <see cref="TokenIssued"/> or <see cref="TokenRefused"/>.</summary>
internal abstract record TokenOutcome(string? UserId)
{
    public static TokenRefused InvalidGrant(string description, string? userId = null) =>
        new(400, "invalid_grant", description, userId);

    public static TokenRefused Refused(int status, string error, string description, string? userId = null) =>
        new(status, error, description, userId);
}

internal sealed record TokenIssued(string AccessToken, string? RefreshToken, int ExpiresInSeconds, string Scope, string UserId)
    : TokenOutcome(UserId);

internal sealed record TokenRefused(int Status, string Error, string Description, string? UserId)
    : TokenOutcome(UserId);
