using System.Net;
using Microsoft.Extensions.Options;

namespace OrleansSpotify.Host.Proxy;

/// <summary>
/// Section <c>Proxy</c>: which peers may tell the app the public origin (<c>X-Forwarded-Proto</c>/<c>-Host</c>/<c>-For</c>)
/// and a path prefix (<c>X-Forwarded-Prefix</c>). Forwarded headers from any other peer are ignored.
/// </summary>
public sealed class ReverseProxyOptions
{
    public const string SectionName = "Proxy";

    /// <summary>Loopback plus the private networks containers and LANs use.</summary>
    public const string DefaultTrustedNetworks = "127.0.0.0/8,::1/128,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,fc00::/7";

    /// <summary>
    /// <c>Proxy__TrustedNetworks</c>: comma-separated CIDR networks (<c>10.0.0.0/8</c>) or single addresses
    /// (<c>192.168.1.2</c>) of the reverse proxies. Empty trusts no proxy.
    /// </summary>
    public string TrustedNetworks { get; set; } = DefaultTrustedNetworks;

    /// <summary>The parsed <see cref="TrustedNetworks"/>; throws <see cref="FormatException"/> naming the bad entry.</summary>
    public IReadOnlyList<IPNetwork> ParseTrustedNetworks()
    {
        var networks = new List<IPNetwork>();
        foreach (var entry in (TrustedNetworks ?? "").Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (IPNetwork.TryParse(entry, out var network))
            {
                networks.Add(network);
            }
            else if (IPAddress.TryParse(entry, out var address))
            {
                networks.Add(new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128));
            }
            else
            {
                throw new FormatException($"Proxy__TrustedNetworks: '{entry}' is neither a CIDR network (such as 10.0.0.0/8) nor an IP address.");
            }
        }

        return networks;
    }
}

/// <summary>Names <c>Proxy__TrustedNetworks</c> and the entry that does not parse.</summary>
public sealed class ReverseProxyOptionsValidator : IValidateOptions<ReverseProxyOptions>
{
    public ValidateOptionsResult Validate(string? name, ReverseProxyOptions options)
    {
        try
        {
            options.ParseTrustedNetworks();
            return ValidateOptionsResult.Success;
        }
        catch (FormatException exception)
        {
            return ValidateOptionsResult.Fail(exception.Message + " Use comma-separated CIDRs, e.g. Proxy__TrustedNetworks=127.0.0.0/8,172.16.0.0/12.");
        }
    }
}
