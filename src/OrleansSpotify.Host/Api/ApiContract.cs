using System.Text.Json.Serialization;

namespace OrleansSpotify.Host.Api;

/// <summary>
/// The problem answers that come from the pipeline rather than from a handler's return type, declared once so that
/// the OpenAPI document lists them: 401 for a member-only endpoint without a member (the cookie scheme's answer,
/// written as problem details by the status-code pages), 503 for a write the database refuses
/// (<see cref="Health.StorageOutageExceptionHandler"/>).
/// </summary>
public static class ApiContract
{
    /// <summary>
    /// The OpenAPI document at <c>/openapi/v1.json</c>. Numbers are written as JSON numbers only (the web defaults
    /// would also read them from strings, and the document would then type every count as "integer or string"):
    /// request bodies are read by <see cref="JsonBody"/>, not the serializer, so nothing reads numbers anyway.
    /// </summary>
    public static WebApplicationBuilder AddApiContract(this WebApplicationBuilder builder)
    {
        builder.Services.ConfigureHttpJsonOptions(options => options.SerializerOptions.NumberHandling = JsonNumberHandling.Strict);
        builder.Services.AddOpenApi();
        return builder;
    }

    /// <summary>401 problem details: the endpoints of the group need a signed-in member.</summary>
    public static RouteGroupBuilder ProducesMemberProblems(this RouteGroupBuilder group) =>
        group.ProducesProblem(StatusCodes.Status401Unauthorized);

    /// <summary>503 problem details: the endpoint writes to the database, which may refuse.</summary>
    public static RouteHandlerBuilder ProducesWriteProblems(this RouteHandlerBuilder builder) =>
        builder.ProducesProblem(StatusCodes.Status503ServiceUnavailable);
}
