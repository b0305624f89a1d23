namespace OrleansSpotify.Host;

public static class ContentRoot
{
    /// <summary>A content root given explicitly (<c>--contentRoot</c>, <c>ASPNETCORE_CONTENTROOT</c>), else null.</summary>
    public static string? FromArgs(string[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg.StartsWith("--contentRoot=", StringComparison.OrdinalIgnoreCase))
            {
                return arg["--contentRoot=".Length..];
            }

            if (arg.Equals("--contentRoot", StringComparison.OrdinalIgnoreCase) && i + 1 < args.Length)
            {
                return args[i + 1];
            }
        }

        return Environment.GetEnvironmentVariable("ASPNETCORE_CONTENTROOT");
    }
}
