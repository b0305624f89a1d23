using System.Net;
using Microsoft.Extensions.Options;
using OrleansSpotify.Spotify;

namespace OrleansSpotify.Host;

/// <summary>Checks the Spotify settings at start-up and names the environment variable to fix.</summary>
public sealed class SpotifyConfigurationValidator : IValidateOptions<SpotifyOptions>
{
    public ValidateOptionsResult Validate(string? name, SpotifyOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ClientId))
        {
            failures.Add("Spotify__ClientId is required: create an app at https://developer.spotify.com/dashboard and copy its Client ID (or start with --demo to run without Spotify).");
        }

        if (options.RedirectUri is not { IsAbsoluteUri: true } redirect)
        {
            failures.Add("Spotify__RedirectUri must be an absolute URI such as http://127.0.0.1:5080/auth/callback.");
        }
        else if (redirect.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            failures.Add($"Spotify__RedirectUri '{redirect}' uses 'localhost', which Spotify rejects: use http://127.0.0.1:PORT/auth/callback or an https URI.");
        }
        else if (redirect.Scheme == Uri.UriSchemeHttp && !(IPAddress.TryParse(redirect.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip)))
        {
            failures.Add($"Spotify__RedirectUri '{redirect}' is plain http on a non-loopback host, which Spotify rejects: use https, or http://127.0.0.1:PORT.");
        }
        else if (redirect.Scheme != Uri.UriSchemeHttp && redirect.Scheme != Uri.UriSchemeHttps)
        {
            failures.Add($"Spotify__RedirectUri '{redirect}' must be http(s).");
        }

        if (options.AccountsBaseUrl is not { IsAbsoluteUri: true })
        {
            failures.Add("Spotify__AccountsBaseUrl must be an absolute URI (default https://accounts.spotify.com/).");
        }

        if (options.ApiBaseUrl is not { IsAbsoluteUri: true })
        {
            failures.Add("Spotify__ApiBaseUrl must be an absolute URI (default https://api.spotify.com/v1/).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
