using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace OrleansSpotify.FakeSpotify;

/// <summary>RFC 7636 S256: <c>code_challenge = base64url(SHA256(code_verifier))</c> without padding.</summary>
internal static class Pkce
{
    public static string Challenge(string codeVerifier) =>
        Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(codeVerifier)));

    public static bool Matches(string codeVerifier, string codeChallenge) =>
        CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(Challenge(codeVerifier)),
            Encoding.ASCII.GetBytes(codeChallenge));
}
