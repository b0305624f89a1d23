using System.Text.Json;

namespace OrleansSpotify.Host.Tests.Fuzz;

/// <summary>A parameter of an operation in the served OpenAPI document.</summary>
internal sealed record OpenApiParameter(string Name, string In, string? Type, string? Format, IReadOnlyList<string> Enum);

/// <summary>A property of a JSON request body's schema.</summary>
internal sealed record OpenApiProperty(string Name, string? Type);

/// <summary>One operation (method and path template) of the served OpenAPI document, with what it takes.</summary>
internal sealed record OpenApiOperation(string Method, string Path, IReadOnlyList<OpenApiParameter> Parameters, IReadOnlyList<OpenApiProperty>? Body)
{
    public override string ToString() => $"{Method} {Path}";

    /// <summary>Every operation of the document (<c>/openapi/v1.json</c>), in document order.</summary>
    public static List<OpenApiOperation> Read(JsonElement document)
    {
        var operations = new List<OpenApiOperation>();
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                if (operation.Name is not ("get" or "post" or "put" or "delete" or "patch"))
                {
                    continue;
                }

                var parameters = new List<OpenApiParameter>();
                if (operation.Value.TryGetProperty("parameters", out var list))
                {
                    foreach (var parameter in list.EnumerateArray())
                    {
                        var schema = parameter.TryGetProperty("schema", out var s) ? Resolve(document, s) : default;
                        parameters.Add(new OpenApiParameter(
                            parameter.GetProperty("name").GetString()!,
                            parameter.GetProperty("in").GetString()!,
                            TypeOf(schema),
                            schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("format", out var f) ? f.GetString() : null,
                            schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("enum", out var e) ? [.. e.EnumerateArray().Select(v => v.ToString())] : []));
                    }
                }

                List<OpenApiProperty>? body = null;
                if (operation.Value.TryGetProperty("requestBody", out var requestBody)
                    && requestBody.GetProperty("content").TryGetProperty("application/json", out var json))
                {
                    var schema = Resolve(document, json.GetProperty("schema"));
                    body = schema.TryGetProperty("properties", out var properties)
                        ? [.. properties.EnumerateObject().Select(p => new OpenApiProperty(p.Name, TypeOf(Resolve(document, p.Value))))]
                        : [];
                }

                operations.Add(new OpenApiOperation(operation.Name.ToUpperInvariant(), path.Name, parameters, body));
            }
        }

        return operations;
    }

    private static JsonElement Resolve(JsonElement document, JsonElement schema)
    {
        if (schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("$ref", out var reference))
        {
            var target = document;
            foreach (var part in reference.GetString()!.TrimStart('#', '/').Split('/'))
            {
                target = target.GetProperty(part);
            }

            return target;
        }

        return schema;
    }

    private static string? TypeOf(JsonElement schema)
    {
        if (schema.ValueKind != JsonValueKind.Object || !schema.TryGetProperty("type", out var type))
        {
            return null;
        }

        // OpenAPI 3.1 allows a list of types (["string", "null"]): the first that is not null.
        return type.ValueKind == JsonValueKind.Array
            ? type.EnumerateArray().Select(t => t.GetString()).FirstOrDefault(t => t != "null")
            : type.GetString();
    }
}
