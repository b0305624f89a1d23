using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;

namespace OrleansSpotify.FakeSpotify.Tests;

/// <summary>A started fake server on a <see cref="FakeTimeProvider"/>, with a plain <see cref="HttpClient"/> against it.</summary>
internal sealed class FakeSpotifyHarness : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);

    public const string RedirectUri = "http://127.0.0.1:5080/auth/callback";

    private FakeSpotifyHarness(FakeTimeProvider clock, FakeSpotifyServer server)
    {
        Clock = clock;
        Server = server;
        Http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = server.BaseUri };
    }

    public FakeTimeProvider Clock { get; }

    public FakeSpotifyServer Server { get; }

    public HttpClient Http { get; }

    public static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public static async Task<FakeSpotifyHarness> StartAsync(Action<FakeSpotifyOptions>? configure = null)
    {
        var options = new FakeSpotifyOptions();
        configure?.Invoke(options);
        var clock = new FakeTimeProvider(Start);
        var server = await FakeSpotifyServer.StartAsync(options, clock, cancellationToken: Cancellation);
        return new FakeSpotifyHarness(clock, server);
    }

    /// <summary>Adds a user and signs them in (PKCE grant with the player scopes).</summary>
    public (FakeUser User, FakeGrant Grant) AddSignedInUser(string id = "alex", string? accountId = "acc-alex")
    {
        var user = Server.AddUser(id, char.ToUpperInvariant(id[0]) + id[1..], accountId);
        return (user, Server.IssueGrant(id));
    }

    public async Task<HttpResponseMessage> GetAsync(string path, string? accessToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (accessToken is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        }

        return await Http.SendAsync(request, Cancellation);
    }

    public async Task<(HttpStatusCode Status, JsonNode? Body)> GetJsonAsync(string path, string? accessToken)
    {
        using var response = await GetAsync(path, accessToken);
        var text = await response.Content.ReadAsStringAsync(Cancellation);
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    public async Task<(HttpStatusCode Status, JsonNode Body)> PostTokenAsync(
        IEnumerable<KeyValuePair<string, string>> form,
        (string Id, string Secret)? basic = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/token") { Content = new FormUrlEncodedContent(form) };
        if (basic is { } credentials)
        {
            var encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.Id}:{credentials.Secret}"));
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", encoded);
        }

        using var response = await Http.SendAsync(request, Cancellation);
        var text = await response.Content.ReadAsStringAsync(Cancellation);
        return (response.StatusCode, JsonNode.Parse(text)!);
    }

    public Task<(HttpStatusCode Status, JsonNode Body)> RefreshAsync(string refreshToken, (string Id, string Secret)? basic = null)
    {
        var form = new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken };
        if (basic is null)
        {
            form["client_id"] = Server.Options.ClientId;
        }

        return PostTokenAsync(form, basic);
    }

    public void Advance(TimeSpan by) => Clock.Advance(by);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
    }
}
