using OrleansSpotify.FakeSpotify;

namespace OrleansSpotify.Host.Demo;

/// <summary>
/// <c>--demo</c> (or <c>Demo=true</c>): starts the built-in fake Spotify on loopback, points the Spotify client
/// at it, and signs a simulated household of three listeners in. Data goes to <c>{DataDirectory}/demo</c>, apart
/// from real data.
/// </summary>
public static class DemoMode
{
    public static async Task<bool> ConfigureAsync(WebApplicationBuilder builder, string[] args)
    {
        var demo = args.Contains("--demo", StringComparer.OrdinalIgnoreCase) || builder.Configuration.GetValue<bool>("Demo");
        if (!demo)
        {
            return false;
        }

        var fake = await FakeSpotifyServer.StartAsync(new FakeSpotifyOptions(), TimeProvider.System);
        var catalog = FakeCatalog.Generate(seed: 2026);
        var now = TimeProvider.System.GetUtcNow();
        var users = FakeHousehold.SeedDemo(fake, catalog, now - TimeSpan.FromHours(3), TimeSpan.FromDays(7), seed: 7);
        fake.Options.AutoApproveUserId = null;

        var dataDirectory = builder.Configuration["Storage:DataDirectory"] ?? "./data";
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Spotify:ClientId"] = fake.Options.ClientId,
            ["Spotify:ClientSecret"] = null,
            ["Spotify:AccountsBaseUrl"] = fake.AccountsBaseUrl.ToString(),
            ["Spotify:ApiBaseUrl"] = fake.ApiBaseUrl.ToString(),
            ["Storage:DataDirectory"] = Path.Combine(dataDirectory, "demo"),
        });
        builder.Services.AddSingleton(fake);
        builder.Services.AddSingleton(new DemoHousehold(users));
        builder.Services.AddHostedService<DemoHouseholdSignIn>();
        return true;
    }
}

public sealed record DemoHousehold(IReadOnlyList<FakeUser> Users);
