using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrleansSpotify.Grains;

namespace OrleansSpotify.Host.Tests;

/// <summary>The <c>Quota</c> section binds to <see cref="QuotaOptions"/> and is validated like the other sections.</summary>
public sealed class QuotaOptionsTests
{
    [Fact]
    public void TheQuotaSectionBindsWithItsDefaults()
    {
        using var app = Build(new() { ["Quota:CallsPerDay"] = "1500" });

        var options = app.Services.GetRequiredService<IOptions<QuotaOptions>>().Value;

        Assert.Equal((1500, TimeSpan.FromDays(1), TimeSpan.FromSeconds(30)), (options.CallsPerDay, options.Window, options.FlushInterval));
        Assert.Equal(2_000, new QuotaOptions().CallsPerDay);
    }

    [Theory]
    [InlineData("CallsPerDay", "0")]
    [InlineData("CallsPerDay", "-5")]
    [InlineData("Window", "00:59:59")]
    [InlineData("Window", "8.00:00:00")]
    [InlineData("FlushInterval", "00:00:00")]
    public void OutOfRangeValuesFailValidationNamingTheKey(string key, string value)
    {
        using var app = Build(new() { ["Quota:" + key] = value });

        var error = Assert.Throws<OptionsValidationException>(() => app.Services.GetRequiredService<IOptions<QuotaOptions>>().Value);
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABadBudgetStopsTheHostsStart()
    {
        await using var app = new HostApplication(new Dictionary<string, string?> { ["Demo"] = "true", ["Quota:CallsPerDay"] = "0" }, waitForDemoData: false);

        var error = Assert.ThrowsAny<Exception>(() => app.CreateBrowser());

        Assert.Contains("CallsPerDay", error.ToString(), StringComparison.Ordinal);
    }

    private static WebApplication Build(Dictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddOrleansSpotifyConfiguration();
        return builder.Build();
    }
}
