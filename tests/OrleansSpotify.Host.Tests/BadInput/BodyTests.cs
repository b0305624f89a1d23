using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace OrleansSpotify.Host.Tests.BadInput;

/// <summary>
/// Every endpoint that takes a JSON body refuses a bad one with a problem answer and writes nothing: 415 for another
/// or no Content-Type, 413 for a body over 64 KB, 400 naming the body or the field for empty, malformed, invalid
/// UTF-8 or wrongly shaped JSON; share-token labels refuse control and bidi-override characters.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class BodyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly (HttpMethod Method, string Path, string Valid)[] JsonEndpoints =
    [
        (HttpMethod.Post, "/api/me/share-tokens", """{"label":"Blog","includeRecent":true}"""),
        (HttpMethod.Put, "/api/me/time-zone", """{"timeZone":"Europe/Berlin"}"""),
        (HttpMethod.Put, "/api/me/sharing", """{"shareStats":false}"""),
    ];

    [Fact]
    public async Task BadBodiesAreRefusedWithProblemsAndWriteNothing()
    {
        await using var app = new HostApplication(new Dictionary<string, string?> { ["Demo"] = "true" });
        using var browser = app.CreateBrowser();
        var me = await DemoSignIn.AsAsync(browser, "alex");
        var before = await StateAsync(browser, me);

        foreach (var (method, path, valid) in JsonEndpoints)
        {
            // Another or no media type: 415, whatever the body.
            foreach (var type in new[] { null, "text/plain", "application/x-www-form-urlencoded", "application/json; charset=iso-8859-1", "multipart/form-data; boundary=x" })
            {
                await AssertProblemAsync(browser, method, path, Encoding.UTF8.GetBytes(valid), type, HttpStatusCode.UnsupportedMediaType, null);
            }

            // Too large: 413, with or without a Content-Length (chunked).
            var huge = Encoding.UTF8.GetBytes("{\"label\":\"" + new string('a', 30 * 1024 * 1024) + "\"}");
            await AssertProblemAsync(browser, method, path, huge, "application/json", HttpStatusCode.RequestEntityTooLarge, null);
            await AssertProblemAsync(browser, method, path, huge, "application/json", HttpStatusCode.RequestEntityTooLarge, null, chunked: true);

            // Not a JSON object: 400 naming the body.
            byte[][] bad =
            [
                [],
                "   "u8.ToArray(),
                "{"u8.ToArray(),
                "{\"label\": \"a\" "u8.ToArray(),
                "not json"u8.ToArray(),
                "[]"u8.ToArray(),
                "\"text\""u8.ToArray(),
                "42"u8.ToArray(),
                "null"u8.ToArray(),
                [(byte)'{', (byte)'"', (byte)'l', (byte)'a', (byte)'b', (byte)'e', (byte)'l', (byte)'"', (byte)':', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)'}'],
                [(byte)'{', (byte)'"', 0xFF, 0xFE, (byte)'"', (byte)':', (byte)'1', (byte)'}'],
                Encoding.UTF8.GetBytes(new string('[', 100) + new string(']', 100)),
            ];
            foreach (var body in bad)
            {
                await AssertProblemAsync(browser, method, path, body, "application/json", HttpStatusCode.BadRequest, "body");
            }
        }

        // Wrongly typed fields: 400 naming the field.
        await AssertProblemAsync(browser, HttpMethod.Post, "/api/me/share-tokens", """{"label":5}"""u8.ToArray(), "application/json", HttpStatusCode.BadRequest, "label");
        await AssertProblemAsync(browser, HttpMethod.Post, "/api/me/share-tokens", """{"label":"a","includeRecent":"yes"}"""u8.ToArray(), "application/json", HttpStatusCode.BadRequest, "includeRecent");
        await AssertProblemAsync(browser, HttpMethod.Post, "/api/me/share-tokens", """{}"""u8.ToArray(), "application/json", HttpStatusCode.BadRequest, "label");
        await AssertProblemAsync(browser, HttpMethod.Put, "/api/me/time-zone", """{"timeZone":["UTC"]}"""u8.ToArray(), "application/json", HttpStatusCode.BadRequest, "timeZone");
        await AssertProblemAsync(browser, HttpMethod.Put, "/api/me/time-zone", """{"timeZone":"../../../../etc/passwd"}"""u8.ToArray(), "application/json", HttpStatusCode.BadRequest, "timeZone");
        await AssertProblemAsync(browser, HttpMethod.Put, "/api/me/time-zone", """{"timeZone":"Europe/Berlin\u0000"}"""u8.ToArray(), "application/json", HttpStatusCode.BadRequest, "timeZone");
        await AssertProblemAsync(browser, HttpMethod.Put, "/api/me/sharing", """{"shareStats":"false"}"""u8.ToArray(), "application/json", HttpStatusCode.BadRequest, "shareStats");
        await AssertProblemAsync(browser, HttpMethod.Put, "/api/me/sharing", """{}"""u8.ToArray(), "application/json", HttpStatusCode.BadRequest, "shareStats");

        // Labels: no control characters (NUL, BEL, DEL, C1), no bidi embeddings, overrides or isolates, no lone surrogates.
        foreach (var label in new[] { "a\\u0000b", "bell\\u0007", "del\\u007f", "c1\\u0085", "\\u202aembed", "\\u202eevil", "\\u2066iso", "\\u2069pop", "tab\\tin", "line\\nbreak", "lone\\ud800" })
        {
            await AssertProblemAsync(browser, HttpMethod.Post, "/api/me/share-tokens", Encoding.UTF8.GetBytes($$"""{"label":"{{label}}"}"""), "application/json", HttpStatusCode.BadRequest, "label");
        }

        Assert.Equal(before, await StateAsync(browser, me));

        // The same endpoints still take good bodies (with a charset, or a +json type), labels with any printable text.
        using var created = await SendAsync(browser, HttpMethod.Post, "/api/me/share-tokens", Encoding.UTF8.GetBytes("""{"label":"Café ☕ 🎧 עברית"}"""), "application/json; charset=utf-8");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("Café ☕ 🎧 עברית", (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("label").GetString());
        using var zone = await SendAsync(browser, HttpMethod.Put, "/api/me/time-zone", """{"timeZone":"Etc/GMT+12"}"""u8.ToArray(), "application/merge-patch+json");
        Assert.Equal(HttpStatusCode.OK, zone.StatusCode);
        using var sharing = await SendAsync(browser, HttpMethod.Put, "/api/me/sharing", """{"shareWithHousehold":true}"""u8.ToArray(), "application/json");
        Assert.Equal(HttpStatusCode.OK, sharing.StatusCode);

        // Unknown API paths are still problems (404), whatever the method.
        await AssertProblemAsync(browser, HttpMethod.Post, "/api/no-such-thing", "{}"u8.ToArray(), "application/json", HttpStatusCode.NotFound, null);
    }

    [Fact]
    public async Task TheOpenApiDocumentDescribesEveryJsonBody()
    {
        await using var app = new HostApplication(new Dictionary<string, string?> { ["Demo"] = "true" });
        using var browser = app.CreateBrowser();
        var document = await browser.GetFromJsonAsync<JsonElement>("/openapi/v1.json", Ct);
        foreach (var (method, path, _) in JsonEndpoints)
        {
            var operation = document.GetProperty("paths").GetProperty(path).GetProperty(method.Method.ToLowerInvariant());
            var content = operation.GetProperty("requestBody").GetProperty("content");
            Assert.True(content.TryGetProperty("application/json", out var json), $"{method} {path}: {content}");
            Assert.NotEqual(JsonValueKind.Undefined, json.GetProperty("schema").ValueKind);
        }
    }

    /// <summary>What the bodies could change: the member's share tokens, time zone and sharing choice.</summary>
    private static async Task<string> StateAsync(HttpClient browser, string me)
    {
        var tokens = await browser.GetStringAsync("/api/me/share-tokens", Ct);
        var accounts = await browser.GetFromJsonAsync<JsonElement>("/api/accounts", Ct);
        var mine = accounts.EnumerateArray().Single(a => a.GetProperty("id").GetString() == me);

        // What a member's requests can write; not what the demo's polling keeps changing (last poll, play count, status).
        var settings = string.Join(",", new[] { "id", "displayName", "authorizedAt", "shareStats" }.Select(p => mine.GetProperty(p).GetRawText()));
        var self = await browser.GetStringAsync("/api/me", Ct);
        return $"{tokens}|{settings}|{self}";
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient browser, HttpMethod method, string path, byte[] body, string? contentType, bool chunked = false)
    {
        HttpContent content = chunked ? new StreamContent(new MemoryStream(body)) : new ByteArrayContent(body);
        if (contentType is not null)
        {
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        if (chunked)
        {
            content.Headers.ContentLength = null;
        }

        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (chunked)
        {
            request.Headers.TransferEncodingChunked = true;
        }

        return await browser.SendAsync(request, Ct);
    }

    private static async Task AssertProblemAsync(
        HttpClient browser, HttpMethod method, string path, byte[] body, string? contentType, HttpStatusCode expected, string? field, bool chunked = false)
    {
        using var response = await SendAsync(browser, method, path, body, contentType, chunked);
        var text = await response.Content.ReadAsStringAsync(Ct);
        var what = $"{method} {path} ({contentType ?? "no type"}, {body.Length} bytes{(chunked ? ", chunked" : "")})";
        Assert.True(response.StatusCode == expected, $"{what}: {(int)response.StatusCode} {text[..Math.Min(300, text.Length)]}");
        Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json", $"{what}: {response.Content.Headers.ContentType}");
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.Equal((int)expected, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()));
        if (field is not null)
        {
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{what} should name '{field}': {text}");
        }
    }
}
