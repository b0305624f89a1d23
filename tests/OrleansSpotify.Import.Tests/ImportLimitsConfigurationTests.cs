using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrleansSpotify.Abstractions;

namespace OrleansSpotify.Import.Tests;

public sealed class ImportLimitsConfigurationTests
{
    [Fact]
    public void The_limits_bind_from_the_Import_section_and_the_readers_are_registered()
    {
        using var services = Build(new()
        {
            ["Import:MaxEntryBytes"] = "1000000",
            ["Import:MaxCompressionRatio"] = "50",
            ["Import:MaxEntries"] = "20",
            ["Import:MaxUploadBytes"] = "2000000",
        });

        var limits = services.GetRequiredService<IOptions<ImportLimits>>().Value;
        Assert.Equal((1_000_000L, 50, 20, 2_000_000L), (limits.MaxEntryBytes, limits.MaxCompressionRatio, limits.MaxEntries, limits.MaxUploadBytes));
        var readers = services.GetRequiredService<ImportReaders>();
        Assert.True(readers.Supports(ImportFormat.ExtendedHistory));
        Assert.True(readers.Supports(ImportFormat.AccountData));
        Assert.True(readers.Supports(ImportFormat.OrleansSpotify));
    }

    [Theory]
    [InlineData("MaxEntries", "0")]
    [InlineData("MaxCompressionRatio", "0")]
    [InlineData("MaxEntryBytes", "-1")]
    [InlineData("MaxRecordBytes", "10")]
    public void Out_of_range_limits_fail_validation(string key, string value)
    {
        using var services = Build(new() { ["Import:" + key] = value });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<ImportLimits>>().Value);
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddImportReading();
        return services.BuildServiceProvider();
    }
}
