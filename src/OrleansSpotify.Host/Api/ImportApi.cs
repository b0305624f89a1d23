using System.Security.Claims;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Microsoft.OpenApi;
using OrleansSpotify.Abstractions;
using OrleansSpotify.Grains.Import;
using OrleansSpotify.Host.Auth;
using OrleansSpotify.Import;
using OrleansSpotify.Storage;
using OrleansSpotify.Storage.Import;

namespace OrleansSpotify.Host.Api;

/// <summary>
/// A member imports Spotify's exports (or this service's json export) into their own account: the upload is read and
/// checked whole before the job is accepted (a bad file refuses the upload, naming the file and the record: 422), then
/// the job runs in the background; its progress is at <c>GET /api/imports/{id}</c> and on the hub's
/// <c>importProgress</c>.
/// </summary>
public static partial class ImportApi
{
    /// <summary>The multipart field the files come in.</summary>
    public const string FilesField = "files";

    /// <summary>Room for the multipart framing (boundaries, part headers) on top of <see cref="ImportLimits.MaxUploadBytes"/>.</summary>
    public const long MultipartOverheadBytes = 1024 * 1024;

    public static RouteGroupBuilder MapImportApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api").WithTags("Import").RequireAuthorization().ProducesMemberProblems();
        group.MapPost("/accounts/{id}/imports", CreateAsync)
            .Produces<ImportJobView>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesWriteProblems()
            .AcceptsFiles()
            .WithSummary("Imports Spotify's exports (the zip, or Streaming_History_Audio_*.json, StreamingHistory_music_*.json, …, or an orleans-spotify json export) into your own account: 202 with the job (Location: its URL); a bad file is refused whole (422 naming the file and the record) and nothing is stored.");
        group.MapGet("/imports/{jobId}", GetAsync)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("One of your import jobs: its state (queued, running, done, failed) and its report so far.");
        group.MapGet("/accounts/{id}/imports", List)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Your import jobs, newest first, with their reports.");
        return group;
    }

    /// <summary>The path of a job's resource (without the path base).</summary>
    public static string JobPath(string jobId) => "/api/imports/" + Uri.EscapeDataString(jobId);

    private static async Task<IResult> CreateAsync(
        string id,
        HttpContext context,
        AccountStore accounts,
        ImportJobStore jobs,
        ImportJobLauncher launcher,
        IOptions<ImportLimits> limits,
        ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(ImportApi));
        var request = context.Request;
        if (context.User.FindFirstValue(AuthExtensions.MemberClaim) is not { } me)
        {
            return TypedResults.Unauthorized();
        }

        if (accounts.Get(id) is not { } account)
        {
            return UnknownAccount(id);
        }

        if (!string.Equals(me, id, StringComparison.Ordinal))
        {
            return NotYours(account.DisplayName);
        }

        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType)
            || !contentType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status415UnsupportedMediaType,
                title: "Unsupported media type",
                detail: $"Send the files as multipart/form-data, in parts named '{FilesField}' (got {(string.IsNullOrEmpty(request.ContentType) ? "no Content-Type" : $"'{request.ContentType}'")}).");
        }

        var boundary = HeaderUtilities.RemoveQuotes(contentType.Boundary).Value;
        if (string.IsNullOrWhiteSpace(boundary) || boundary.Length > 70)
        {
            return BadUpload("The multipart/form-data Content-Type has no valid boundary (1 to 70 characters).");
        }

        var max = limits.Value.MaxUploadBytes;
        if (request.ContentLength > max + MultipartOverheadBytes)
        {
            return TooLarge(max);
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = max > long.MaxValue - MultipartOverheadBytes ? null : max + MultipartOverheadBytes;
        }

        var uploads = new List<(string Name, Stream Content)>();
        try
        {
            var reader = new MultipartReader(boundary, request.Body) { HeadersCountLimit = 16, HeadersLengthLimit = 16 * 1024 };
            long total = 0;
            MultipartSection? section;
            while ((section = await reader.ReadNextSectionAsync(context.RequestAborted)) is not null)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase)
                    || !string.Equals(HeaderUtilities.RemoveQuotes(disposition.Name).Value, FilesField, StringComparison.Ordinal))
                {
                    // Another field: read past it (the reader does) and ignore it.
                    continue;
                }

                var name = HeaderUtilities.RemoveQuotes(disposition.FileNameStar).Value;
                if (string.IsNullOrEmpty(name))
                {
                    name = HeaderUtilities.RemoveQuotes(disposition.FileName).Value;
                }

                var spool = Spool(jobs);
                uploads.Add((string.IsNullOrWhiteSpace(name) ? "upload" : name, spool));
                var buffer = new byte[81920];
                int read;
                while ((read = await section.Body.ReadAsync(buffer, context.RequestAborted)) > 0)
                {
                    total += read;
                    if (total > max)
                    {
                        return TooLarge(max);
                    }

                    await spool.WriteAsync(buffer.AsMemory(0, read), context.RequestAborted);
                }

                spool.Position = 0;
            }

            if (uploads.Count == 0)
            {
                return BadUpload($"The body holds no part named '{FilesField}': send each file as a multipart part named '{FilesField}' with its file name.");
            }

            var status = await launcher.CreateAsync(me, uploads, context.RequestAborted);
            var view = status.ToView();
            return TypedResults.Accepted(request.PathBase.ToUriComponent() + JobPath(status.JobId), view);
        }
        catch (ImportFormatException exception)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status422UnprocessableEntity,
                title: "The file cannot be imported",
                detail: exception.Message,
                extensions: new Dictionary<string, object?>(StringComparer.Ordinal)
                {
                    ["file"] = exception.File,
                    ["record"] = exception.Record,
                });
        }
        catch (UnknownAccountException)
        {
            return UnknownAccount(id);
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge(max);
        }
        catch (Exception exception) when (exception is InvalidDataException or BadHttpRequestException || (exception is IOException && !context.RequestAborted.IsCancellationRequested))
        {
            // A malformed multipart body: a part's headers too long or too many, a missing end boundary, a truncated body.
            LogBadMultipart(logger, exception.Message);
            return BadUpload("The multipart/form-data body is malformed: " + exception.Message);
        }
        finally
        {
            foreach (var (_, content) in uploads)
            {
                await content.DisposeAsync();
            }
        }
    }

    private static async Task<Results<Ok<ImportJobView>, ProblemHttpResult, UnauthorizedHttpResult>> GetAsync(
        string jobId, ClaimsPrincipal user, ImportJobStore jobs, IGrainFactory grains)
    {
        if (user.FindFirstValue(AuthExtensions.MemberClaim) is not { } me)
        {
            return TypedResults.Unauthorized();
        }

        // Another member's job is as unknown as a job that does not exist: ids are not secrets, but reports are.
        if (!ImportJobStore.IsJobId(jobId) || jobs.Get(jobId) is not { } status || !string.Equals(status.AccountKey, me, StringComparison.Ordinal))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown import job", detail: $"You have no import job with the id '{jobId}'.");
        }

        if (status.State is ImportJobState.Queued or ImportJobState.Running)
        {
            // Through the job's grain: a job whose activation was collected resumes when it is looked at.
            status = await grains.GetGrain<IImportJobGrain>(jobId).GetStatusAsync() ?? status;
        }

        return TypedResults.Ok(status.ToView());
    }

    private static Results<Ok<IReadOnlyList<ImportJobView>>, ProblemHttpResult, UnauthorizedHttpResult> List(
        string id, ClaimsPrincipal user, AccountStore accounts, ImportJobStore jobs)
    {
        if (user.FindFirstValue(AuthExtensions.MemberClaim) is not { } me)
        {
            return TypedResults.Unauthorized();
        }

        if (accounts.Get(id) is not { } account)
        {
            return UnknownAccount(id);
        }

        if (!string.Equals(me, id, StringComparison.Ordinal))
        {
            return NotYours(account.DisplayName);
        }

        IReadOnlyList<ImportJobView> views = [.. jobs.List(id).Select(j => j.ToView())];
        return TypedResults.Ok(views);
    }

    /// <summary>A private spool file for one uploaded part, in the data directory (never /tmp), deleted when closed.</summary>
    private static FileStream Spool(ImportJobStore jobs)
    {
        var directory = Path.Combine(jobs.ImportsDirectory, ".incoming");
        PrivateFiles.EnsureDirectory(directory);
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.ReadWrite,
            Share = FileShare.None,
            Options = FileOptions.Asynchronous | FileOptions.DeleteOnClose,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = PrivateFiles.FileMode;
        }

        return new FileStream(Path.Combine(directory, Guid.NewGuid().ToString("N")), options);
    }

    private static ProblemHttpResult UnknownAccount(string id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown account", detail: $"No household account has the id '{id}'.");

    private static ProblemHttpResult NotYours(string displayName) => TypedResults.Problem(
        statusCode: StatusCodes.Status403Forbidden,
        title: "Not your account",
        detail: $"A member imports only into their own account; {displayName}'s imports are theirs alone.");

    private static ProblemHttpResult BadUpload(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid upload", detail: detail);

    private static ProblemHttpResult TooLarge(long max) => TypedResults.Problem(
        statusCode: StatusCodes.Status413PayloadTooLarge,
        title: "Upload too large",
        detail: $"An upload may be at most {max:N0} bytes (Import:MaxUploadBytes).");

    /// <summary>Documents the multipart body: one or more parts named <c>files</c>.</summary>
    private static RouteHandlerBuilder AcceptsFiles(this RouteHandlerBuilder builder) =>
        builder.AddOpenApiOperationTransformer((operation, context, cancellationToken) =>
        {
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal)
                {
                    ["multipart/form-data"] = new()
                    {
                        Schema = new OpenApiSchema
                        {
                            Type = JsonSchemaType.Object,
                            Required = new HashSet<string>(StringComparer.Ordinal) { FilesField },
                            Properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal)
                            {
                                [FilesField] = new OpenApiSchema
                                {
                                    Type = JsonSchemaType.Array,
                                    Description = "The export's zip, or its json files; each part with its file name.",
                                    Items = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" },
                                },
                            },
                        },
                    },
                },
            };
            return Task.CompletedTask;
        });

    [LoggerMessage(Level = LogLevel.Information, Message = "Refused a malformed import upload: {Reason}")]
    private static partial void LogBadMultipart(ILogger logger, string reason);
}
