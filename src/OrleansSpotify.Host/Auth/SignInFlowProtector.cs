using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace OrleansSpotify.Host.Auth;

/// <summary>
/// What the browser carries between <c>/auth/login</c> and <c>/auth/callback</c>, encrypted in a short-lived cookie:
/// also the redirect URI the authorize request named, which the code exchange must repeat.
/// </summary>
public sealed record SignInFlow(string State, string CodeVerifier, DateTimeOffset StartedAt, string? RedirectUri = null);

public sealed class SignInFlowProtector(IDataProtectionProvider provider)
{
    public const string CookieName = "orleans-spotify-signin";
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    private readonly IDataProtector _protector = provider.CreateProtector("OrleansSpotify.SignInFlow.v1");

    public string Protect(SignInFlow flow) => _protector.Protect(JsonSerializer.Serialize(flow));

    public SignInFlow? Unprotect(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<SignInFlow>(_protector.Unprotect(value));
        }
        catch (Exception exception) when (exception is System.Security.Cryptography.CryptographicException or JsonException)
        {
            return null;
        }
    }
}
