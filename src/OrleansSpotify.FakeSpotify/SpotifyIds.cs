using System.Security.Cryptography;

namespace OrleansSpotify.FakeSpotify;

/// <summary>Spotify-looking identifiers: 22 base62 characters for catalog ids, longer opaque strings for tokens.</summary>
internal static class SpotifyIds
{
    public const int IdLength = 22;

    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /// <summary>A deterministic id drawn from <paramref name="random"/>.</summary>
    public static string NewId(Random random) => Draw(random.Next, IdLength);

    /// <summary>A deterministic id derived from a text (stable across runs and processes).</summary>
    public static string FromText(string text)
    {
        var hash = SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text));
        var chars = new char[IdLength];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = Base62[hash[i] % Base62.Length];
        }

        return new string(chars);
    }

    /// <summary>An unguessable token such as Spotify's <c>BQ…</c> access tokens or <c>AQ…</c> refresh tokens and codes.</summary>
    public static string NewSecret(string prefix, int length) =>
        prefix + Draw(max => RandomNumberGenerator.GetInt32(max), length - prefix.Length);

    public static bool IsBase62Id(string value) =>
        value.Length == IdLength && value.All(c => char.IsAsciiLetterOrDigit(c));

    private static string Draw(Func<int, int> next, int length)
    {
        var chars = new char[length];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = Base62[next(Base62.Length)];
        }

        return new string(chars);
    }
}
