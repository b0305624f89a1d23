namespace OrleansSpotify.FakeSpotify;

/// <summary>
/// Endpoint metadata read by the request pipeline: the name logged in <see cref="FakeRequest.Endpoint"/>,
/// the fault kind (null: never faulted) and whether it is a Web API route (rate limit, bearer auth).
/// </summary>
internal sealed record FakeRoute(string Name, FakeEndpoint? Kind, bool IsWebApi)
{
    public static FakeRoute Api(string name, FakeEndpoint kind = FakeEndpoint.Any) => new(name, kind, IsWebApi: true);
}
