using OrleansSpotify.Host;
using OrleansSpotify.Host.Api;
using OrleansSpotify.Host.Auth;
using OrleansSpotify.Host.Demo;
using OrleansSpotify.Host.Embed;
using OrleansSpotify.Host.Health;
using OrleansSpotify.Host.Live;
using OrleansSpotify.Host.Proxy;
using OrleansSpotify.Host.Secrets;
using OrleansSpotify.Host.Web;
using OrleansSpotify.Import;

// Maintenance commands (backup, restore, import) run instead of the service.
if (OrleansSpotify.Host.Backup.Commands.IsCommand(args))
{
    Environment.ExitCode = await OrleansSpotify.Host.Backup.Commands.RunAsync(args, Console.Out, Console.Error);
    return;
}

if (OrleansSpotify.Host.Import.ImportCommand.IsCommand(args))
{
    // Ctrl+C stops the import between batches; the job goes on from there when the service starts.
    using var stop = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) =>
    {
        e.Cancel = true;
        stop.Cancel();
    };
    Environment.ExitCode = await OrleansSpotify.Host.Import.ImportCommand.RunAsync(args, Spectre.Console.AnsiConsole.Console, Console.Error, stop.Token);
    return;
}

// The content root (appsettings.json, wwwroot) is the app's own folder, wherever it is started from; relative paths
// in configuration (./data, .env) stay relative to the working directory, so `dotnet run` from the repository root
// keeps its data there.
// "--demo" is a switch, not a key with a value: left in, the command-line configuration would take the next argument
// (say "--urls") as its value.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = DemoMode.WithoutSwitch(args),
    ContentRootPath = ContentRoot.FromArgs(args) ?? AppContext.BaseDirectory,
});

// Demo mode: an in-process fake Spotify and a simulated household, so the service runs without credentials.
var demo = DemoMode.Configure(builder, args);

// Configuration (.env / environment / appsettings), validated at start-up with messages naming the key.
builder.AddOrleansSpotifyConfiguration();

// The data directory is this service's alone while it runs ({DataDirectory}/service.lock): a second service or the
// import command on the same directory is refused. Taken first, before the silo opens the database.
builder.AddServiceLock();

// Ports as in any ASP.NET Core app (ASPNETCORE_URLS, ASPNETCORE_HTTP_PORTS, --urls, Urls), else http://0.0.0.0:5080;
// behind a reverse proxy, forwarded headers from Proxy__TrustedNetworks (see Proxy/).
builder.UseDefaultListenUrls();
builder.AddReverseProxy();

// The silo, co-hosted: grains, SQLite storage, the Spotify client.
builder.AddOrleansSpotifySilo();

// Reading Spotify's exports (the Import section's limits), for the import jobs the API and the CLI start.
builder.Services.AddImportReading();

// Secrets at rest: the Data Protection key ring in the data directory seals grain state (Spotify's tokens).
builder.AddSecretsAtRest();

// Household sign-in (Spotify OAuth with PKCE) and the cookie that keeps a member signed in.
builder.AddHouseholdAuthentication();

// Live updates: the grains' events pushed over SignalR (/hubs/listening) to members and share links.
builder.AddLiveUpdates();

// HTTP API plumbing and health.
builder.Services.AddProblemDetails();
builder.Services.ConfigureHttpJsonOptions(options =>
    options.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.KebabCaseLower)));
builder.AddApiContract();
builder.AddOrleansSpotifyHealthChecks();

var app = builder.Build();

app.UseReverseProxy();
app.UseExceptionHandler();
app.UseConfiguredPathBase();
app.UseSecurityHeaders();
app.UseStatusCodePages();
app.UseWebApp();
app.UseAuthentication();
app.UseCrossSiteRequestCheck();
app.UseAuthorization();
app.UseSignInRateLimiting();

app.MapOpenApi();
app.MapHealthEndpoints();
app.MapAuthEndpoints();
app.MapDemoSignIn(demo);
app.MapInfoApi(demo);
app.MapAccountsApi();
app.MapStatsApi();
app.MapHouseholdApi();
app.MapShareTokensApi();
app.MapExportApi();
app.MapImportApi();
app.MapSpotifyUsageApi();
app.MapEmbed();
app.MapListeningHub();
app.MapWebApp();

await app.RunAsync();
