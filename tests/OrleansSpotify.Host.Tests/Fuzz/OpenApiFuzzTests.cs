using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CsCheck;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OrleansSpotify.Host.Demo;

namespace OrleansSpotify.Host.Tests.Fuzz;

/// <summary>
/// Property-based fuzzing of every operation in the served OpenAPI document, signed in as a demo member: requests
/// generated from the document (<see cref="FuzzInputs"/>) must never answer 5xx, every 4xx under /api is problem
/// details (application/problem+json with status and title), a refused request writes nothing to the database
/// (<see cref="DatabaseFingerprint"/>), and no answer exceeds 5 MB (an export, the whole history by design, 256 MB; it
/// is read to its end). The seed and the number of inputs per operation are fixed (FUZZ_SEED, FUZZ_COUNT override them to explore more locally); the figures go to the test output and to
/// test-output/fuzz-inputs.txt.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class OpenApiFuzzTests
{
    public const ulong DefaultSeed = 20261202;
    public const int DefaultCountPerOperation = 80;
    private const long MaxAnswerBytes = 5 * 1024 * 1024;
    private const long MaxExportBytes = 256 * 1024 * 1024;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EveryOperationAnswersGeneratedInputWithoutA5xxWithProblemsAndWritesNothingWhenItRefuses()
    {
        var seed = ulong.TryParse(Environment.GetEnvironmentVariable("FUZZ_SEED"), CultureInfo.InvariantCulture, out var s) ? s : DefaultSeed;
        var count = int.TryParse(Environment.GetEnvironmentVariable("FUZZ_COUNT"), CultureInfo.InvariantCulture, out var c) && c > 0 ? c : DefaultCountPerOperation;

        // Seeded data that nothing changes behind the requests' back: the demo household's history is imported at
        // sign-in, and polling waits an hour after that.
        await using var app = new HostApplication(new Dictionary<string, string?>
        {
            ["Demo"] = "true",
            ["Polling:ActiveInterval"] = "01:00:00",
            ["Polling:IdleMinInterval"] = "01:00:00",
            ["Polling:IdleMaxInterval"] = "01:00:00",
            ["Polling:HistoryIntervalWhileActive"] = "01:00:00",
            ["Polling:HistoryIntervalWhileIdle"] = "01:00:00",

            // Off: the background track lookups would change the database (track_lookups, the catalogue) between the
            // fingerprints taken around a refused request. This also proves the switch: a lookup would show there.
            ["Metadata:RequestsPerMinute"] = "0",
        });
        using var browser = app.CreateBrowser();
        var me = await DemoSignIn.AsAsync(browser, "alex");
        await SignInTests.WaitForPlaysAsync(browser, me, expected: 1);

        // The demo imports each member's months of history in the background after start-up: wait for that to end.
        var import = app.Services.GetServices<IHostedService>().OfType<DemoHouseholdSignIn>().Single();
        await import.ExecuteTask!.WaitAsync(TimeSpan.FromMinutes(2), Ct);
        using var created = await browser.PostAsJsonAsync("/api/me/share-tokens", new { label = "fuzz" }, Ct);
        var share = await created.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var token = share.GetProperty("token").GetString()!;
        var accounts = await browser.GetFromJsonAsync<JsonElement>("/api/accounts", Ct);
        string[] members = [.. accounts.EnumerateArray().Select(a => a.GetProperty("id").GetString()!)];
        string[] tokenIds = [share.GetProperty("id").GetString()!, "1", "2"];

        var document = await browser.GetFromJsonAsync<JsonElement>("/openapi/v1.json", Ct);
        var operations = OpenApiOperation.Read(document);
        Assert.True(operations.Count >= 30, $"only {operations.Count} operations in the OpenAPI document");

        using var fingerprint = new DatabaseFingerprint(Path.Combine(app.DataDirectory, "demo", "orleans-spotify.db"));
        var failures = new List<string>();
        var figures = new List<(OpenApiOperation Operation, SortedDictionary<int, int> Statuses, Stopwatch Time)>();
        var clock = Stopwatch.StartNew();
        var state = fingerprint.Take();
        for (var o = 0; o < operations.Count; o++)
        {
            var operation = operations[o];
            // Path ids that exist: a member's for /api/accounts/{id}, a share token's for /api/embed/{token} and
            // /api/me/share-tokens/{id}.
            var generator = FuzzInputs.For(operation, operation.Path.Contains("{token}", StringComparison.Ordinal) ? [token] : operation.Path.Contains("share-tokens", StringComparison.Ordinal) ? tokenIds : members);
            var pcg = new PCG((uint)o, seed);
            var statuses = new SortedDictionary<int, int>();
            var time = Stopwatch.StartNew();
            figures.Add((operation, statuses, time));
            for (var i = 0; i < count; i++)
            {
                var input = generator.Generate(pcg, null, out _);
                var (status, problem) = await SendAsync(browser, input);
                statuses[status] = statuses.GetValueOrDefault(status) + 1;
                var after = fingerprint.Take();
                if (Environment.GetEnvironmentVariable("FUZZ_TRACE") is not null)
                {
                    TestContext.Current.TestOutputHelper?.WriteLine($"{status} {input}");
                }

                if (status >= 500)
                {
                    failures.Add($"{status} for {input}");
                }

                if (problem is not null)
                {
                    failures.Add($"{status} without problem details ({problem}) for {input}");
                }

                // A JSON body under another (or no) media type is unsupported; a JSON one over 64 KB too large.
                var expected = input.Body is null ? (int?)null
                    : !IsJson(input.ContentType) ? 415
                    : input.Body.Length > 64 * 1024 ? 413
                    : null;
                if (expected is { } code && status != code)
                {
                    failures.Add($"{status}, not {code}, for {input}");
                }

                // The fingerprint must see writes, or "nothing written" would prove nothing: a share token created
                // (201) changes it.
                if (status == 201 && after == state)
                {
                    failures.Add($"201 but the fingerprint did not change for {input}");
                }

                if (status >= 400 && after != state)
                {
                    failures.Add($"{status} but the database changed for {input}:\n  before {state}\n  after  {after}");
                }

                state = after;
            }

            time.Stop();
        }

        var total = figures.Sum(f => f.Statuses.Values.Sum());
        var report = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"{DateTimeOffset.UtcNow:O} OpenAPI fuzz: seed {seed}, {count} inputs per operation, {operations.Count} operations, {total} inputs in {clock.Elapsed.TotalSeconds:F1} s, {failures.Count} failures");
        foreach (var (operation, statuses, time) in figures)
        {
            report.AppendLine(CultureInfo.InvariantCulture, $"  {operation,-52} {statuses.Values.Sum(),5} inputs {time.Elapsed.TotalSeconds,5:F1} s  ({string.Join(", ", statuses.Select(x => $"{x.Key}: {x.Value}"))})");
        }

        TestContext.Current.TestOutputHelper?.WriteLine(report.ToString());
        var output = Path.Combine(RepositoryRoot(), "test-output");
        Directory.CreateDirectory(output);
        await File.AppendAllTextAsync(Path.Combine(output, "fuzz-inputs.txt"), report.ToString(), Ct);

        Assert.True(failures.Count == 0, $"{failures.Count} of {total} inputs failed (seed {seed}); the first ones:\n{string.Join('\n', failures.Take(25))}");
    }

    /// <summary>Sends the input; the status, and what is wrong with the answer's form (null when nothing is).</summary>
    private static async Task<(int Status, string? Problem)> SendAsync(HttpClient browser, FuzzInput input)
    {
        using var request = new HttpRequestMessage(new HttpMethod(input.Method), new Uri(HostApplication.Origin, input.PathAndQuery));
        if (input.Body is not null)
        {
            request.Content = new ByteArrayContent(input.Body);
            if (input.ContentType is not null)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", input.ContentType);
            }
        }

        using var response = await browser.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
        var status = (int)response.StatusCode;
        await using var stream = await response.Content.ReadAsStreamAsync(Ct);
        var path = request.RequestUri!.AbsolutePath;
        var export = status == 200 && path.EndsWith("/export", StringComparison.Ordinal);
        var limit = export ? MaxExportBytes : MaxAnswerBytes;
        var body = new MemoryStream();
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer, Ct)) > 0)
        {
            total += read;
            if (total > limit)
            {
                return (status, $"an answer over {limit} bytes");
            }

            // An export is read to its end (it must complete) but not kept.
            if (!export)
            {
                body.Write(buffer, 0, read);
            }
        }

        if (status is < 400 or >= 500 || !path.StartsWith("/api", StringComparison.OrdinalIgnoreCase))
        {
            return (status, null);
        }

        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            return (status, $"Content-Type {response.Content.Headers.ContentType?.ToString() ?? "none"}");
        }

        try
        {
            var problem = JsonDocument.Parse(body.ToArray()).RootElement;
            return problem.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.Number && s.GetInt32() == status
                && problem.TryGetProperty("title", out var t) && !string.IsNullOrEmpty(t.GetString())
                ? (status, null)
                : (status, $"no status {status} and title in {Encoding.UTF8.GetString(body.ToArray())}");
        }
        catch (JsonException)
        {
            return (status, $"not JSON: {Encoding.UTF8.GetString(body.ToArray())}");
        }
    }

    private static bool IsJson(string? contentType) =>
        System.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var type)
        && (type.MediaType is "application/json" || (type.MediaType?.StartsWith("application/", StringComparison.Ordinal) == true && type.MediaType.EndsWith("+json", StringComparison.Ordinal)))
        && type.CharSet is null or "utf-8";

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "OrleansSpotify.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"OrleansSpotify.sln not found above {AppContext.BaseDirectory}.");
    }
}
