namespace OrleansSpotify.Host.Api;

/// <summary>
/// The problem answers that come from the pipeline rather than from a handler's return type, declared once so that
/// the OpenAPI document lists them: 401 for a member-only endpoint without a member (the cookie scheme's answer,
/// written as problem details by the status-code pages), 503 for a write the database refuses
/// (<see cref="Health.StorageOutageExceptionHandler"/>).
/// </summary>
public static class ApiContract
{
    /// <summary>401 problem details: the endpoints of the group need a signed-in member.</summary>
    public static RouteGroupBuilder ProducesMemberProblems(this RouteGroupBuilder group) =>
        group.ProducesProblem(StatusCodes.Status401Unauthorized);

    /// <summary>503 problem details: the endpoint writes to the database, which may refuse.</summary>
    public static RouteHandlerBuilder ProducesWriteProblems(this RouteHandlerBuilder builder) =>
        builder.ProducesProblem(StatusCodes.Status503ServiceUnavailable);
}
