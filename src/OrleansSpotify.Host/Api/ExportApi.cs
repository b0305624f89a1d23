using System.Security.Claims;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using OrleansSpotify.Host.Auth;
using OrleansSpotify.Storage;
using OrleansSpotify.Storage.Export;

namespace OrleansSpotify.Host.Api;

/// <summary>
/// A member's plays, or what the household shares with them, as a download: csv, the importable json document, or
/// the zip ListenBrainz imports. Streamed: plays are read forward-only and sent every 64 KB, so an export of any size
/// holds about that much.
/// </summary>
public static partial class ExportApi
{
    /// <summary>The <c>format</c> values, in the order the OpenAPI document lists them.</summary>
    public static readonly IReadOnlyDictionary<string, ExportFormat> Formats = new Dictionary<string, ExportFormat>(StringComparer.Ordinal)
    {
        ["csv"] = ExportFormat.Csv,
        ["json"] = ExportFormat.Json,
        ["listenbrainz"] = ExportFormat.ListenBrainz,
    };

    public static RouteGroupBuilder MapExportApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api").WithTags("Export").RequireAuthorization().ProducesMemberProblems();
        group.MapGet("/accounts/{id}/export", ExportAccount)
            .ProducesExport()
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Your own plays as a download (format= csv, json or listenbrainz), oldest first; another member's export is theirs alone (403).");
        group.MapGet("/household/export", ExportHousehold)
            .ProducesExport()
            .WithSummary("Your plays and those of every member who shares their listening, as a download (format= csv, json or listenbrainz; listenbrainz: a zip of each member's zip).");
        return group;
    }

    private static Results<PushStreamHttpResult, ValidationProblem, ProblemHttpResult> ExportAccount(
        string id, string? format, HttpContext context, AccountStore accounts, PlayExport export, TimeProvider time, ILoggerFactory loggers)
    {
        if (accounts.Get(id) is not { } account)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown account", detail: $"No household account has the id '{id}'.");
        }

        if (Parse(format) is not { } writer)
        {
            return BadFormat(format);
        }

        if (!string.Equals(context.User.FindFirstValue(AuthExtensions.MemberClaim), id, StringComparison.Ordinal))
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status403Forbidden,
                title: "Not your account",
                detail: $"Only {account.DisplayName} can export {account.DisplayName}'s plays; the household export has what members share.");
        }

        return Stream(writer, [new ExportAccount(account.AccountKey, account.DisplayName)], account.AccountKey, household: false, context, export, time, loggers);
    }

    private static Results<PushStreamHttpResult, ValidationProblem> ExportHousehold(
        string? format, HttpContext context, AccountStore accounts, PlayExport export, TimeProvider time, ILoggerFactory loggers)
    {
        if (Parse(format) is not { } writer)
        {
            return BadFormat(format);
        }

        var viewer = context.User.FindFirstValue(AuthExtensions.MemberClaim);
        IReadOnlyList<ExportAccount> members = [.. accounts.List()
            .Where(a => MemberVisibility.Sees(viewer, a))
            .OrderBy(a => a.DisplayName, StringComparer.CurrentCultureIgnoreCase)
            .ThenBy(a => a.AccountKey, StringComparer.Ordinal)
            .Select(a => new ExportAccount(a.AccountKey, a.DisplayName))];
        return Stream(writer, members, "household", household: true, context, export, time, loggers);
    }

    private static PushStreamHttpResult Stream(
        PlayExportWriter writer, IReadOnlyList<ExportAccount> members, string who, bool household, HttpContext context, PlayExport export, TimeProvider time, ILoggerFactory loggers)
    {
        var now = time.GetUtcNow();
        var aborted = context.RequestAborted;
        // A member's listening, downloaded: no cache keeps a copy.
        context.Response.Headers.CacheControl = "no-store";
        var document = new ExportDocument(members, now, typeof(ExportApi).Assembly.GetName().Version?.ToString(3) ?? "0.0.0", household);
        return TypedResults.Stream(
            async body =>
            {
                var summary = await writer.WriteAsync(document, export.Read(members, writer.Order, aborted), body, aborted);
                LogExported(loggers.CreateLogger(typeof(ExportApi)), who, writer.Format, summary.Plays, summary.Bytes, summary.MaxHeldBytes);
            },
            writer.ContentType,
            writer.FileName(who, now));
    }

    private static PlayExportWriter? Parse(string? format) =>
        format is not null && Formats.TryGetValue(format.Trim().ToLowerInvariant(), out var known) ? PlayExportWriter.For(known) : null;

    private static ValidationProblem BadFormat(string? format) => TypedResults.ValidationProblem(
        new Dictionary<string, string[]>(StringComparer.Ordinal)
        {
            ["format"] = [string.IsNullOrWhiteSpace(format)
                ? "Give format= csv, json or listenbrainz."
                : $"'{format}' is not an export format: use csv, json or listenbrainz."],
        },
        title: "Invalid query parameters");

    /// <summary>
    /// The 200 answer in each format (the json document's schema, csv text, a zip) and <c>format</c> as a required
    /// enumeration: the handler reads it as text to answer a bad value with problem details.
    /// </summary>
    private static RouteHandlerBuilder ProducesExport(this RouteHandlerBuilder builder) =>
        builder
            .Produces<ExportDocumentView>(StatusCodes.Status200OK, "application/json")
            .ProducesValidationProblem()
            .AddOpenApiOperationTransformer((operation, context, cancellationToken) =>
            {
                if (operation.Responses?.TryGetValue("200", out var ok) == true && ok is OpenApiResponse response)
                {
                    response.Description = "The export, as an attachment (Content-Disposition gives its file name).";
                    response.Content ??= new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal);
                    response.Content["text/csv"] = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Description = "RFC 4180, UTF-8, a header row, one play per row." } };
                    response.Content["application/zip"] = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary", Description = "listens/<YYYY>/<M>.jsonl as ListenBrainz imports it." } };
                }

                foreach (var parameter in operation.Parameters ?? [])
                {
                    if (parameter is OpenApiParameter { Name: "format" } query)
                    {
                        query.Required = true;
                        query.Description = "csv, json (the importable orleans-spotify-plays document) or listenbrainz (a zip).";
                        query.Schema = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [.. Formats.Keys.Select(k => (JsonNode)JsonValue.Create(k))] };
                    }
                }

                return Task.CompletedTask;
            });

    [LoggerMessage(Level = LogLevel.Information, Message = "Exported {Plays} plays of {Who} as {Format}: {Bytes} bytes, at most {HeldBytes} bytes held at once")]
    private static partial void LogExported(ILogger logger, string who, ExportFormat format, long plays, long bytes, int heldBytes);
}
