using System.Text.Json;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Net.Http.Headers;
using Microsoft.OpenApi;

namespace OrleansSpotify.Host.Api;

/// <summary>
/// The one place JSON request bodies are read: the media type must be JSON (415 otherwise), the body at most
/// <see cref="MaxBytes"/> (413), present, UTF-8 and a JSON object (400 naming <c>body</c>). Every refusal is a problem
/// answer and happens before the endpoint writes anything. Endpoints then read their fields with
/// <see cref="String"/> and <see cref="Bool"/>, which collect errors by field name.
/// </summary>
/// <remarks>
/// Endpoints read bodies through this rather than by parameter binding: binding puts <c>Accepts</c> metadata on the
/// endpoint, so a request with another <c>Content-Type</c> no longer matches it in routing and falls through to the
/// dashboard's catch-all (404). Here the endpoint matches and answers 415 itself; <see cref="AcceptsJson{T}"/> still
/// documents the body in the OpenAPI document.
/// </remarks>
public sealed class JsonBody
{
    /// <summary>The largest body any JSON endpoint takes: its bodies are a few short fields.</summary>
    public const int MaxBytes = 64 * 1024;

    private readonly JsonElement _root;

    private JsonBody(JsonElement root) => _root = root;

    /// <summary>Reads the body; either <paramref name="body"/> is set or the problem to answer is returned.</summary>
    public static async Task<(JsonBody? Body, IResult? Problem)> ReadAsync(HttpRequest request, string example)
    {
        if (!IsJson(request.ContentType))
        {
            return (null, TypedResults.Problem(
                statusCode: StatusCodes.Status415UnsupportedMediaType,
                title: "Unsupported media type",
                detail: $"Send the body as JSON with 'Content-Type: application/json' (got {(string.IsNullOrEmpty(request.ContentType) ? "none" : $"'{request.ContentType}'")})."));
        }

        if (request.ContentLength > MaxBytes)
        {
            return (null, TooLarge());
        }

        var buffer = new byte[MaxBytes + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await request.Body.ReadAsync(buffer.AsMemory(length), request.HttpContext.RequestAborted)) > 0)
        {
            length += read;
        }

        if (length > MaxBytes)
        {
            return (null, TooLarge());
        }

        var bytes = buffer.AsMemory(0, length);
        if (length == 0 || bytes.Span.Trim(" \t\r\n"u8).IsEmpty)
        {
            return (null, Invalid($"The body is empty: send {example}."));
        }

        if (!System.Text.Unicode.Utf8.IsValid(bytes.Span))
        {
            return (null, Invalid($"The body is not valid UTF-8: send {example}."));
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException)
        {
            return (null, Invalid($"The body is not JSON: send {example}."));
        }

        using (document)
        {
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? (new JsonBody(document.RootElement.Clone()), null)
                : (null, Invalid($"The body must be a JSON object: {example}."));
        }
    }

    /// <summary>A string field (names match case-insensitively); null when absent or null; an error when of another type.</summary>
    public string? String(string name, QueryParsing errors)
    {
        if (Find(name) is not { } value || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add(name, $"'{name}' must be a string.");
            return null;
        }

        // The body is valid UTF-8, but an escape can still spell an unpaired surrogate ("\ud800"): reading it as a
        // string is where System.Text.Json reports that.
        try
        {
            return value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            errors.Add(name, $"'{name}' is not valid Unicode text (it holds an unpaired surrogate).");
            return null;
        }
    }

    /// <summary>A boolean field; null when absent or null; an error when of another type.</summary>
    public bool? Bool(string name, QueryParsing errors)
    {
        if (Find(name) is not { } value || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return value.GetBoolean();
        }

        errors.Add(name, $"'{name}' must be true or false.");
        return null;
    }

    /// <summary>Whether the media type is JSON: <c>application/json</c> or <c>application/*+json</c>, in UTF-8 if a charset is given.</summary>
    public static bool IsJson(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var type))
        {
            return false;
        }

        var json = type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || (type.Type.Equals("application", StringComparison.OrdinalIgnoreCase) && type.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase));
        return json && (!type.Charset.HasValue || type.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Documents a JSON request body of <typeparamref name="T"/> without the routing-level content-type match.</summary>
    public static TBuilder AcceptsJson<T, TBuilder>(TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddOpenApiOperationTransformer(async (operation, context, cancellationToken) =>
        {
            var schema = await context.GetOrCreateSchemaAsync(typeof(T), null, cancellationToken);
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal) { ["application/json"] = new() { Schema = schema } },
            };
        });

    private JsonElement? Find(string name)
    {
        foreach (var property in _root.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value;
            }
        }

        return null;
    }

    private static IResult TooLarge() => TypedResults.Problem(
        statusCode: StatusCodes.Status413PayloadTooLarge,
        title: "Body too large",
        detail: $"The body may be at most {MaxBytes / 1024} KB.");

    private static IResult Invalid(string message) => TypedResults.ValidationProblem(
        new Dictionary<string, string[]>(StringComparer.Ordinal) { ["body"] = [message] },
        title: "Invalid body");
}

/// <summary><c>.AcceptsJson&lt;T&gt;()</c> on an endpoint whose handler reads its body with <see cref="JsonBody"/>.</summary>
public static class JsonBodyEndpointExtensions
{
    /// <summary>The body's schema, and the refusals <see cref="JsonBody.ReadAsync"/> answers (400, 413, 415).</summary>
    public static RouteHandlerBuilder AcceptsJson<T>(this RouteHandlerBuilder builder) =>
        JsonBody.AcceptsJson<T, RouteHandlerBuilder>(builder)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
}
