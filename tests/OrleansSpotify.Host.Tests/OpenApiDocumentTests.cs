using System.Net.Http.Json;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace OrleansSpotify.Host.Tests;

/// <summary>
/// The API's contract: the served <c>/openapi/v1.json</c> is the committed <c>src/OrleansSpotify.Web/openapi.json</c>
/// (what the dashboard is built against), and it declares what every operation answers.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class OpenApiDocumentTests
{
    /// <summary>Set to 1 to rewrite the committed document from the served one instead of comparing them.</summary>
    public const string UpdateVariable = "UPDATE_OPENAPI";

    public const string RegenerateCommand =
        "UPDATE_OPENAPI=1 dotnet test --project tests/OrleansSpotify.Host.Tests --filter-class 'OrleansSpotify.Host.Tests.OpenApiDocumentTests'";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheServedDocumentIsTheCommittedOne()
    {
        await using var app = new HostApplication(new Dictionary<string, string?> { ["Demo"] = "true" });
        using var client = app.CreateBrowser();
        var served = OpenApiSnapshot.Normalize(await client.GetStringAsync("/openapi/v1.json", Ct));
        var path = OpenApiSnapshot.CommittedPath();

        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            await File.WriteAllTextAsync(path, served, Ct);
        }

        var committed = File.Exists(path) ? (await File.ReadAllTextAsync(path, Ct)).ReplaceLineEndings("\n") : "";
        Assert.True(
            committed == served,
            $"The served /openapi/v1.json differs from the committed {Path.GetRelativePath(OpenApiSnapshot.RepositoryRoot(), path)} " +
            $"(first difference at line {OpenApiSnapshot.FirstDifferentLine(committed, served)}). If the API change is meant, " +
            $"regenerate it from the repository root with:\n  {RegenerateCommand}\nand commit the file.");
    }

    [Fact]
    public async Task EveryOperationDeclaresItsAnswers()
    {
        await using var app = new HostApplication(new Dictionary<string, string?> { ["Demo"] = "true" });
        using var client = app.CreateBrowser();
        var document = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json", Ct);
        var memberOnly = app.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IAuthorizeData>() is not null && e.Metadata.GetMetadata<IAllowAnonymous>() is null)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => $"{m} {e.RoutePattern.RawText}"))
            .ToHashSet(StringComparer.Ordinal);

        var failures = new List<string>();
        var operations = 0;
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject().Where(o => o.Name is "get" or "put" or "post" or "delete" or "patch"))
            {
                operations++;
                var name = $"{operation.Name.ToUpperInvariant()} {path.Name}";
                if (!operation.Value.TryGetProperty("responses", out var responses) || !responses.EnumerateObject().Any())
                {
                    failures.Add($"{name}: no responses");
                    continue;
                }

                var statuses = responses.EnumerateObject().ToDictionary(r => r.Name, r => r.Value, StringComparer.Ordinal);
                if (!statuses.Keys.Any(s => s.StartsWith('2')))
                {
                    failures.Add($"{name}: no success status");
                }

                foreach (var (status, response) in statuses)
                {
                    (string? mediaType, bool needed) = status switch
                    {
                        "204" or "304" => (null, false),
                        _ when status.StartsWith('2') => ("application/json", true),
                        _ => ("application/problem+json", true),
                    };
                    if (!needed)
                    {
                        continue;
                    }

                    if (!response.TryGetProperty("content", out var content) || !content.TryGetProperty(mediaType!, out var media)
                        || !media.TryGetProperty("schema", out var schema) || !HasShape(document, schema))
                    {
                        failures.Add($"{name}: {status} has no {mediaType} schema");
                    }
                }

                if (operation.Value.TryGetProperty("requestBody", out _))
                {
                    failures.AddRange(new[] { "400", "413", "415" }.Where(s => !statuses.ContainsKey(s)).Select(s => $"{name}: takes a body but does not declare {s}"));
                }

                if (memberOnly.Contains(name) && !statuses.ContainsKey("401"))
                {
                    failures.Add($"{name}: needs a member but does not declare 401");
                }

                if (operation.Name is "put" or "post" or "delete" && !statuses.ContainsKey("503"))
                {
                    failures.Add($"{name}: writes but does not declare 503");
                }

                if (operation.Value.TryGetProperty("parameters", out var parameters) && parameters.GetArrayLength() > 0
                    && operation.Value.GetProperty("parameters").EnumerateArray().Any(p => p.GetProperty("in").GetString() == "query")
                    && !statuses.ContainsKey("400"))
                {
                    failures.Add($"{name}: takes query parameters but does not declare 400");
                }
            }
        }

        // Answers write numbers as numbers: a schema of "integer or string" would make every client handle both.
        foreach (var schema in document.GetProperty("components").GetProperty("schemas").EnumerateObject())
        {
            foreach (var property in schema.Value.TryGetProperty("properties", out var properties) ? properties.EnumerateObject() : default)
            {
                if (property.Value.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.Array
                    && type.EnumerateArray().Select(t => t.GetString()).ToHashSet() is var types
                    && types.Contains("string") && (types.Contains("integer") || types.Contains("number")))
                {
                    failures.Add($"{schema.Name}.{property.Name}: typed as a number or a string");
                }
            }
        }

        Assert.True(operations >= 30, $"only {operations} operations in the document");
        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    [Fact]
    public void NormalizingSortsKeysAndDropsTheServers()
    {
        const string Served = """{"servers":[{"url":"http://127.0.0.1/"}],"openapi":"3.1.1","paths":{"/b":{},"/a":{"get":{"summary":"it's — fine","tags":["z","a"]}}}}""";

        var normalized = OpenApiSnapshot.Normalize(Served);

        Assert.Equal(
            "{\n  \"openapi\": \"3.1.1\",\n  \"paths\": {\n    \"/a\": {\n      \"get\": {\n        \"summary\": \"it's — fine\",\n" +
            "        \"tags\": [\n          \"z\",\n          \"a\"\n        ]\n      }\n    },\n    \"/b\": {}\n  }\n}\n",
            normalized);
        Assert.Equal(3, OpenApiSnapshot.FirstDifferentLine("a\nb\nc\n", "a\nb\nd\n"));
    }

    /// <summary>A schema that says something: a reference, a type, or a composition of them.</summary>
    private static bool HasShape(JsonElement document, JsonElement schema)
    {
        if (schema.TryGetProperty("$ref", out var reference))
        {
            var name = reference.GetString()!.Split('/')[^1];
            return document.GetProperty("components").GetProperty("schemas").TryGetProperty(name, out _);
        }

        return schema.TryGetProperty("type", out _) || schema.TryGetProperty("oneOf", out _) || schema.TryGetProperty("anyOf", out _)
            || schema.TryGetProperty("allOf", out _);
    }
}

/// <summary>The committed form of the OpenAPI document: keys sorted, indented, without the request-dependent servers.</summary>
internal static class OpenApiSnapshot
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Normalize(string json)
    {
        var root = JsonNode.Parse(json)!.AsObject();
        root.Remove("servers");
        return Sorted(root)!.ToJsonString(Options).ReplaceLineEndings("\n") + "\n";
    }

    public static int FirstDifferentLine(string expected, string actual)
    {
        var left = expected.Split('\n');
        var right = actual.Split('\n');
        var line = 0;
        while (line < left.Length && line < right.Length && left[line] == right[line])
        {
            line++;
        }

        return line + 1;
    }

    public static string CommittedPath() => Path.Combine(RepositoryRoot(), "src", "OrleansSpotify.Web", "openapi.json");

    public static string RepositoryRoot()
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

    private static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Sorted(p.Value)))),
        JsonArray a => new JsonArray([.. a.Select(Sorted)]),
        _ => node?.DeepClone(),
    };
}
