using Microsoft.Extensions.Configuration;
using OrleansSpotify.Host.Demo;

namespace OrleansSpotify.Host.Tests;

public sealed class CommandLineTests
{
    [Theory]
    [InlineData("--demo", "--urls", "http://127.0.0.1:5099")]
    [InlineData("--urls", "http://127.0.0.1:5099", "--demo")]
    [InlineData("--DEMO", "--urls", "http://127.0.0.1:5099")]
    public void TheDemoSwitchDoesNotSwallowTheNextArgument(params string[] args)
    {
        var configuration = new ConfigurationBuilder().AddCommandLine(DemoMode.WithoutSwitch(args)).Build();

        Assert.Equal("http://127.0.0.1:5099", configuration["urls"]);
        Assert.Null(configuration["demo"]);
    }
}
