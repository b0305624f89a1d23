using OrleansSpotify.Host;
using OrleansSpotify.Host.Api;
using OrleansSpotify.Host.Auth;
using OrleansSpotify.Host.Demo;
using OrleansSpotify.Host.Embed;
using OrleansSpotify.Host.Health;
using OrleansSpotify.Host.Live;
using OrleansSpotify.Host.Web;

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

// The silo, co-hosted: grains, SQLite storage, the Spotify client.
builder.AddOrleansSpotifySilo();

// Household sign-in (Spotify OAuth with PKCE) and the cookie that keeps a member signed in.
builder.AddHouseholdAuthentication();

// Live updates: the grains' events pushed over SignalR (/hubs/listening) to members and share links.
builder.AddLiveUpdates();

// HTTP API plumbing and health.
builder.Services.AddProblemDetails();
builder.Services.ConfigureHttpJsonOptions(options =>
    options.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.KebabCaseLower)));
builder.Services.AddHttpContextAccessor();
builder.Services.AddScoped<OrleansSpotify.Host.Api.StatsContext>();
builder.Services.AddOpenApi();
builder.AddOrleansSpotifyHealthChecks();

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseWebApp();
app.UseAuthentication();
app.UseCrossSiteRequestCheck();
app.UseAuthorization();

app.MapOpenApi();
app.MapHealthEndpoints();
app.MapAuthEndpoints();
app.MapInfoApi(demo);
app.MapAccountsApi();
app.MapStatsApi();
app.MapHouseholdApi();
app.MapShareTokensApi();
app.MapEmbed();
app.MapListeningHub();
app.MapWebApp();

await app.RunAsync();
