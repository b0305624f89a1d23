namespace OrleansSpotify.Web.Tests;

/// <summary>Paths in the repository the tests run from.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string WebProject => Path.Combine(Root, "src", "OrleansSpotify.Web");

    /// <summary>git-ignored; the closing notes and CI logs point here.</summary>
    public static string Screenshots => Path.Combine(Root, "test-output", "screenshots");

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "OrleansSpotify.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"OrleansSpotify.sln not found above {AppContext.BaseDirectory}.");
    }
}
