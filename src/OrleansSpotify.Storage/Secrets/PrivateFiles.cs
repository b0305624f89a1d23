namespace OrleansSpotify.Storage;

/// <summary>
/// Owner-only modes for the data directory (0700) and the files in it (0600), whatever the process's umask: new files
/// are created with the mode, and existing ones (an older deployment's 0644/0755) are tightened. No-ops on Windows,
/// where files inherit the directory's ACL.
/// </summary>
public static class PrivateFiles
{
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>
    /// Creates the directory 0700, with any missing parents 0700 too (demo mode's data/demo makes data/), or tightens an
    /// existing one to 0700. Parents that already exist are left as they are.
    /// </summary>
    public static void EnsureDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        var created = new List<string>();
        for (var directory = Path.GetFullPath(path); !string.IsNullOrEmpty(directory) && !Directory.Exists(directory); directory = Path.GetDirectoryName(directory))
        {
            created.Add(directory);
        }

        Directory.CreateDirectory(path, DirectoryMode);
        foreach (var directory in created)
        {
            SetMode(directory, DirectoryMode);
        }

        SetMode(path, DirectoryMode);
    }

    /// <summary>Creates an empty file 0600 when there is none (so that what is written into it later never was readable by others).</summary>
    public static void CreateIfMissing(string path)
    {
        if (File.Exists(path))
        {
            return;
        }

        try
        {
            using var stream = CreateNew(path);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Created concurrently: tightened below like any existing file.
        }

        Tighten(path);
    }

    /// <summary>A new file opened for writing, created 0600 (the umask can only remove bits, and none is left to remove).</summary>
    public static FileStream CreateNew(string path)
    {
        var options = new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = FileMode;
        }

        return new FileStream(path, options);
    }

    /// <summary>Sets an existing file to 0600; a missing file is left alone.</summary>
    public static void Tighten(string path)
    {
        if (!OperatingSystem.IsWindows() && File.Exists(path))
        {
            SetMode(path, FileMode);
        }
    }

    /// <summary>The database file and its companions (-wal, -shm, -journal), each 0600 when present.</summary>
    public static void TightenDatabase(string databasePath)
    {
        foreach (var suffix in DatabaseSuffixes)
        {
            Tighten(databasePath + suffix);
        }
    }

    /// <summary>Every file directly in <paramref name="directory"/> 0600, the directory 0700.</summary>
    public static void TightenDirectory(string directory)
    {
        EnsureDirectory(directory);
        foreach (var file in Directory.EnumerateFiles(directory))
        {
            Tighten(file);
        }
    }

    public static IReadOnlyList<string> DatabaseSuffixes { get; } = ["", "-wal", "-shm", "-journal"];

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void SetMode(string path, UnixFileMode mode)
    {
        if (File.GetUnixFileMode(path) != mode)
        {
            File.SetUnixFileMode(path, mode);
        }
    }
}
