using System.Runtime.InteropServices;
using System.Text;

namespace OrleansSpotify.Host.Tests.Secrets;

/// <summary>Looks for secrets (whole, or their first 24 characters) in raw bytes and text.</summary>
internal static class SecretScan
{
    private const int PrefixLength = 24;

    /// <summary>The secrets found in <paramref name="bytes"/>, each named by its first characters (never printed whole).</summary>
    public static List<string> FoundIn(ReadOnlySpan<byte> bytes, IEnumerable<string> secrets)
    {
        var found = new List<string>();
        foreach (var secret in secrets)
        {
            var needle = Encoding.UTF8.GetBytes(secret.Length > PrefixLength ? secret[..PrefixLength] : secret);
            if (bytes.IndexOf(needle) >= 0)
            {
                found.Add(Name(secret));
            }
        }

        return found;
    }

    public static List<string> FoundIn(string text, IEnumerable<string> secrets) =>
        [.. secrets.Where(s => text.Contains(s.Length > PrefixLength ? s[..PrefixLength] : s, StringComparison.Ordinal)).Select(Name)];

    /// <summary>A file's bytes as they are on disk, read while SQLite may hold it open; empty when there is no file.</summary>
    public static byte[] ReadRaw(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static string Name(string secret) => secret[..Math.Min(8, secret.Length)] + "…";
}

/// <summary>The process's umask, set permissive (0) for a block: files created meanwhile get whatever mode their creator asks.</summary>
internal static partial class Umask
{
    public static IDisposable Permissive() => new Scope(Set(0));

    [LibraryImport("libc", EntryPoint = "umask")]
    private static partial uint Set(uint mask);

    private sealed class Scope(uint previous) : IDisposable
    {
        public void Dispose() => Set(previous);
    }
}
