using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace OrleansSpotify.Spotify;

/// <summary>Proof Key for Code Exchange (RFC 7636) with the S256 method, as Spotify's PKCE flow requires.</summary>
public static class Pkce
{
    public const int MinVerifierLength = 43;
    public const int MaxVerifierLength = 128;
    public const int DefaultVerifierLength = 64;

    /// <summary>RFC 7636 §4.1 "unreserved" characters.</summary>
    private const string UnreservedCharacters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";

    private const int StateBytes = 32;

    /// <summary>A high-entropy verifier of <paramref name="length"/> (43–128) unreserved characters.</summary>
    public static string CreateCodeVerifier(int length = DefaultVerifierLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, MinVerifierLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, MaxVerifierLength);
        return RandomNumberGenerator.GetString(UnreservedCharacters, length);
    }

    /// <summary><c>base64url(SHA256(ASCII(verifier)))</c> without padding.</summary>
    public static string CreateCodeChallenge(string codeVerifier)
    {
        ArgumentException.ThrowIfNullOrEmpty(codeVerifier);
        var hash = SHA256.HashData(Encoding.ASCII.GetBytes(codeVerifier));
        return Base64Url.EncodeToString(hash);
    }

    /// <summary>An unguessable, URL-safe value for the authorize request's <c>state</c> (CSRF protection).</summary>
    public static string CreateState() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(StateBytes));
}
