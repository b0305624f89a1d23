namespace OrleansSpotify.Import;

/// <summary>Whether a zip entry's path stays inside the archive: no <c>..</c> segment, not absolute, no drive letter.</summary>
public static class ZipEntryPaths
{
    public static bool IsSafe(string fullName)
    {
        ArgumentNullException.ThrowIfNull(fullName);
        if (fullName.Length == 0 || fullName[0] is '/' or '\\' || fullName.Contains('\0', StringComparison.Ordinal))
        {
            return false;
        }

        if (fullName.Length >= 2 && fullName[1] == ':' && char.IsAsciiLetter(fullName[0]))
        {
            return false;
        }

        foreach (var segment in fullName.Split('/', '\\'))
        {
            if (segment == "..")
            {
                return false;
            }
        }

        return true;
    }
}
