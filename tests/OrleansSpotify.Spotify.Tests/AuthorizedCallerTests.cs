using System.Collections.Concurrent;
using OrleansSpotify.Spotify.Tests.Infrastructure;

namespace OrleansSpotify.Spotify.Tests;

public sealed class AuthorizedCallerTests
{
    private const string MePath = "/v1/me";
    private const string TokenPath = "/api/token";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static SpotifyTokens Tokens(string access, string refresh, DateTimeOffset expiresAt) => new(access, expiresAt, refresh, "scope");

    [Fact]
    public async Task A_valid_token_is_used_as_is()
    {
        await using var harness = await SpotifyHarness.StartAsync();
        harness.Server.Enqueue(MePath, CannedResponse.Fixture("me.json"));
        var holder = new RecordingTokenHolder(Tokens("access-1", "refresh-1", SpotifyHarness.Start.AddMinutes(30)));

        var profile = await harness.Caller.CallAsync(holder, harness.Api.GetMeAsync, Ct);

        Assert.Equal("alice", profile.Id);
        Assert.Empty(holder.Saved);
        Assert.Equal("Bearer access-1", Assert.Single(harness.Server.Requests).Header("Authorization"));
    }

    [Fact]
    public async Task A_token_inside_the_refresh_skew_is_refreshed_and_saved_before_the_call()
    {
        await using var harness = await SpotifyHarness.StartAsync(o => o.RefreshSkew = TimeSpan.FromMinutes(2));
        harness.Server.Enqueue(TokenPath, CannedResponse.Token("access-2", "refresh-2"));
        var holder = new RecordingTokenHolder(Tokens("access-1", "refresh-1", SpotifyHarness.Start.AddMinutes(2)));

        var result = await harness.Caller.CallAsync(
            holder,
            (token, _) =>
            {
                holder.Events.Enqueue($"call:{token}");
                return Task.FromResult(token);
            },
            Ct);

        Assert.Equal("access-2", result);
        Assert.Equal(["save:access-2:refresh-2", "call:access-2"], holder.Events);
        Assert.Equal("refresh-1", Assert.Single(harness.Server.RequestsTo(TokenPath)).Form()["refresh_token"]);
        Assert.Equal(SpotifyHarness.Start.AddHours(1), holder.Tokens.ExpiresAt);
    }

    [Fact]
    public async Task A_token_just_outside_the_skew_is_not_refreshed()
    {
        await using var harness = await SpotifyHarness.StartAsync(o => o.RefreshSkew = TimeSpan.FromMinutes(2));
        var holder = new RecordingTokenHolder(Tokens("access-1", "refresh-1", SpotifyHarness.Start.AddMinutes(2).AddTicks(1)));

        var result = await harness.Caller.CallAsync(holder, (token, _) => Task.FromResult(token), Ct);

        Assert.Equal("access-1", result);
        Assert.Empty(harness.Server.Requests);
    }

    [Fact]
    public async Task A_401_refreshes_once_and_retries_with_the_new_token()
    {
        await using var harness = await SpotifyHarness.StartAsync();
        harness.Server.Enqueue(MePath, CannedResponse.ApiError(401, "The access token expired"), CannedResponse.Fixture("me.json"));
        harness.Server.Enqueue(TokenPath, CannedResponse.Token("access-2", "refresh-2"));
        var holder = new RecordingTokenHolder(Tokens("access-1", "refresh-1", SpotifyHarness.Start.AddMinutes(30)));

        var profile = await harness.Caller.CallAsync(holder, harness.Api.GetMeAsync, Ct);

        Assert.Equal("alice", profile.Id);
        Assert.Equal(["Bearer access-1", "Bearer access-2"], harness.Server.RequestsTo(MePath).Select(r => r.Header("Authorization")));
        Assert.Equal([MePath, TokenPath, MePath], harness.Server.Requests.Select(r => r.Path));
        var saved = Assert.Single(holder.Saved);
        Assert.Equal(Tokens("access-2", "refresh-2", SpotifyHarness.Start.AddHours(1)) with { Scope = saved.Scope }, saved);
    }

    [Fact]
    public async Task A_refresh_without_a_new_refresh_token_keeps_the_old_one()
    {
        await using var harness = await SpotifyHarness.StartAsync(o => o.ClientSecret = "s3cret");
        harness.Server.Enqueue(MePath, CannedResponse.ApiError(401, "The access token expired"), CannedResponse.Fixture("me.json"));
        harness.Server.Enqueue(TokenPath, CannedResponse.Token("access-2", refreshToken: null));
        var holder = new RecordingTokenHolder(Tokens("access-1", "refresh-1", SpotifyHarness.Start.AddMinutes(30)));

        await harness.Caller.CallAsync(holder, harness.Api.GetMeAsync, Ct);

        Assert.Equal("refresh-1", Assert.Single(holder.Saved).RefreshToken);
        Assert.Equal("access-2", holder.Tokens.AccessToken);
    }

    [Fact]
    public async Task A_second_401_propagates_after_a_single_refresh()
    {
        await using var harness = await SpotifyHarness.StartAsync();
        harness.Server.Enqueue(MePath, CannedResponse.ApiError(401, "The access token expired"), CannedResponse.ApiError(401, "Invalid access token"));
        harness.Server.Enqueue(TokenPath, CannedResponse.Token("access-2", "refresh-2"));
        var holder = new RecordingTokenHolder(Tokens("access-1", "refresh-1", SpotifyHarness.Start.AddMinutes(30)));

        var error = await Assert.ThrowsAsync<SpotifyUnauthorizedException>(() => harness.Caller.CallAsync(holder, harness.Api.GetMeAsync, Ct));

        Assert.Equal("Invalid access token", error.Message);
        Assert.Single(harness.Server.RequestsTo(TokenPath));
        Assert.Equal(2, harness.Server.RequestsTo(MePath).Count);
        Assert.Equal("refresh-2", Assert.Single(holder.Saved).RefreshToken);
    }

    [Fact]
    public async Task Invalid_grant_propagates_and_nothing_is_saved()
    {
        await using var harness = await SpotifyHarness.StartAsync();
        harness.Server.Enqueue(TokenPath, CannedResponse.TokenError("invalid_grant", "Refresh token revoked"));
        var holder = new RecordingTokenHolder(Tokens("access-1", "refresh-1", SpotifyHarness.Start.AddMinutes(-5)));

        var error = await Assert.ThrowsAsync<SpotifyInvalidGrantException>(() => harness.Caller.CallAsync(holder, harness.Api.GetMeAsync, Ct));

        Assert.Equal("Refresh token revoked", error.Description);
        Assert.Empty(holder.Saved);
        Assert.Empty(harness.Server.RequestsTo(MePath));
    }

    [Fact]
    public async Task Invalid_grant_after_a_401_propagates()
    {
        await using var harness = await SpotifyHarness.StartAsync();
        harness.Server.Enqueue(MePath, CannedResponse.ApiError(401, "The access token expired"));
        harness.Server.Enqueue(TokenPath, CannedResponse.TokenError("invalid_grant", "Refresh token revoked"));
        var holder = new RecordingTokenHolder(Tokens("access-1", "refresh-1", SpotifyHarness.Start.AddMinutes(30)));

        await Assert.ThrowsAsync<SpotifyInvalidGrantException>(() => harness.Caller.CallAsync(holder, harness.Api.GetMeAsync, Ct));

        Assert.Empty(holder.Saved);
        Assert.Single(harness.Server.RequestsTo(MePath));
    }

    [Fact]
    public async Task Tokens_refreshed_by_someone_else_meanwhile_are_used_instead_of_refreshing_again()
    {
        await using var harness = await SpotifyHarness.StartAsync();
        var holder = new RecordingTokenHolder(Tokens("access-1", "refresh-1", SpotifyHarness.Start.AddMinutes(30)));
        var seen = new ConcurrentQueue<string>();

        var result = await harness.Caller.CallAsync(
            holder,
            (token, _) =>
            {
                seen.Enqueue(token);
                if (token == "access-1")
                {
                    holder.Tokens = Tokens("access-9", "refresh-9", SpotifyHarness.Start.AddHours(1));
                    throw new SpotifyUnauthorizedException("The access token expired");
                }

                return Task.FromResult(token);
            },
            Ct);

        Assert.Equal("access-9", result);
        Assert.Equal(["access-1", "access-9"], seen);
        Assert.Empty(harness.Server.Requests);
    }

    [Fact]
    public async Task Rotated_tokens_are_saved_even_if_the_caller_cancels_during_the_save()
    {
        await using var harness = await SpotifyHarness.StartAsync();
        harness.Server.Enqueue(TokenPath, CannedResponse.Token("access-2", "refresh-2"));
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var holder = new CancellingTokenHolder(Tokens("access-1", "refresh-1", SpotifyHarness.Start.AddMinutes(-1)), cts);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            harness.Caller.CallAsync(holder, (token, ct) => Task.FromCanceled<string>(ct), cts.Token));

        Assert.Equal("refresh-2", holder.Tokens.RefreshToken);
        Assert.False(holder.SaveTokenWasCancellable);
    }

    /// <summary>Cancels the caller's token while saving, to prove the save itself is not cancellable.</summary>
    private sealed class CancellingTokenHolder(SpotifyTokens tokens, CancellationTokenSource cts) : ISpotifyTokenHolder
    {
        public SpotifyTokens Tokens { get; private set; } = tokens;

        public bool SaveTokenWasCancellable { get; private set; }

        public async Task SaveTokensAsync(SpotifyTokens tokens, CancellationToken cancellationToken)
        {
            await cts.CancelAsync();
            SaveTokenWasCancellable = cancellationToken.CanBeCanceled;
            Tokens = tokens;
        }
    }
}
