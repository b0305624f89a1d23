using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace OrleansSpotify.Benchmarks.Faults;

/// <summary>One household member's browser, reduced to an HTTP client with cookies that does not follow redirects.</summary>
public sealed class HouseholdClient : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly HttpClient _http;

    private HouseholdClient(Uri host)
    {
        _http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() })
        {
            BaseAddress = host,
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    /// <summary>
    /// Signs <paramref name="fakeUserId"/> in the way a browser does: the Host's <c>/auth/login</c>, the fake's
    /// <c>/authorize</c> (with <c>fake_user</c>, which answers as if the user had chosen themselves), the Host's
    /// <c>/auth/callback</c>; then checks <c>/api/me</c>. Returns the member's account key.
    /// </summary>
    public static async Task<(HouseholdClient Client, string AccountKey)> SignInAsync(Uri host, string fakeUserId, CancellationToken cancellationToken)
    {
        var client = new HouseholdClient(host);
        try
        {
            var authorize = await client.RedirectAsync(new Uri(host, "/auth/login"), cancellationToken);
            var chosen = new Uri(authorize + (authorize.Query.Length > 0 ? "&" : "?") + "fake_user=" + Uri.EscapeDataString(fakeUserId));
            var callback = await client.RedirectAsync(chosen, cancellationToken);
            await client.RedirectAsync(callback, cancellationToken);
            var me = await client._http.GetFromJsonAsync<MemberView>("/api/me", Json, cancellationToken)
                ?? throw new InvalidOperationException("/api/me answered null after the sign-in.");
            return (client, me.Id);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>Every account with its status and stored play count (<c>GET /api/accounts</c>).</summary>
    public async Task<IReadOnlyList<AccountView>> AccountsAsync(CancellationToken cancellationToken) =>
        await _http.GetFromJsonAsync<List<AccountView>>("/api/accounts", Json, cancellationToken)
            ?? throw new InvalidOperationException("/api/accounts answered null.");

    /// <summary>The accounts, or null while the Host does not answer (being restarted).</summary>
    public async Task<IReadOnlyList<AccountView>?> TryAccountsAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await AccountsAsync(cancellationToken);
        }
        catch (HttpRequestException)
        {
            return null;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    public void Dispose() => _http.Dispose();

    private async Task<Uri> RedirectAsync(Uri uri, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(uri, cancellationToken);
        if ((int)response.StatusCode is not (302 or 303 or 307) || response.Headers.Location is not { } location)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new InvalidOperationException($"Sign-in: {uri.GetLeftPart(UriPartial.Path)} answered {(int)response.StatusCode} instead of a redirect: {body}");
        }

        return location.IsAbsoluteUri ? location : new Uri(uri, location);
    }

    public sealed record MemberView(string Id, string DisplayName);

    /// <summary>An account as <c>/api/accounts</c> lists it; <see cref="PlayCount"/> is null for a member who keeps their plays private.</summary>
    public sealed record AccountView(string Id, string DisplayName, string Status, string? StatusDetail, long? PlayCount);
}
