using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrleansSpotify.Grains;

namespace OrleansSpotify.Host.Tests;

/// <summary>The <c>Metadata</c> section binds to <see cref="MetadataOptions"/> and is validated like the other sections.</summary>
public sealed class MetadataOptionsTests
{
    [Fact]
    public void TheMetadataSectionBindsWithItsDefaults()
    {
        using var app = Build(new() { ["Metadata:RequestsPerMinute"] = "6", ["Metadata:NotFoundRetryAfter"] = "7.00:00:00" });

        var options = app.Services.GetRequiredService<IOptions<MetadataOptions>>().Value;

        Assert.Equal((6, 5, TimeSpan.FromDays(7), TimeSpan.FromHours(6)), (options.RequestsPerMinute, options.SearchLimit, options.NotFoundRetryAfter, options.RetryAfterFailure));
        Assert.Equal(20, new MetadataOptions().RequestsPerMinute);
    }

    [Fact]
    public void ZeroRequestsAMinuteTurnsTheLookupsOffAndIsValid()
    {
        using var app = Build(new() { ["Metadata:RequestsPerMinute"] = "0" });

        Assert.Equal(0, app.Services.GetRequiredService<IOptions<MetadataOptions>>().Value.RequestsPerMinute);
    }

    [Theory]
    [InlineData("RequestsPerMinute", "-1")]
    [InlineData("RequestsPerMinute", "601")]
    [InlineData("SearchLimit", "11")]
    [InlineData("SearchLimit", "0")]
    [InlineData("NotFoundRetryAfter", "00:00:00")]
    public void OutOfRangeValuesFailValidation(string key, string value)
    {
        using var app = Build(new() { ["Metadata:" + key] = value });

        var error = Assert.Throws<OptionsValidationException>(() => app.Services.GetRequiredService<IOptions<MetadataOptions>>().Value);
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    private static WebApplication Build(Dictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddOrleansSpotifyConfiguration();
        return builder.Build();
    }
}
