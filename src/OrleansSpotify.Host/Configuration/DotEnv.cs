namespace OrleansSpotify.Host;

/// <summary>
/// Reads a <c>.env</c> file (KEY=value lines, # comments, optional quotes) into configuration, below real
/// environment variables: a variable set in the environment always wins over the file.
/// </summary>
public static class DotEnv
{
    public static void Load(IConfigurationBuilder configuration, params string[] candidates)
    {
        var path = candidates.Select(Path.GetFullPath).Distinct().FirstOrDefault(File.Exists);
        if (path is null)
        {
            return;
        }

        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in Parse(File.ReadAllLines(path)))
        {
            if (Environment.GetEnvironmentVariable(key) is null)
            {
                values[key.Replace("__", ":", StringComparison.Ordinal)] = value;
            }
        }

        // Added as a source before the environment variables would re-read them; real env vars are skipped above.
        configuration.AddInMemoryCollection(values);
    }

    public static IEnumerable<KeyValuePair<string, string>> Parse(IEnumerable<string> lines)
    {
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            if (line.StartsWith("export ", StringComparison.Ordinal))
            {
                line = line["export ".Length..].TrimStart();
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                continue;
            }

            var key = line[..equals].Trim();
            var value = line[(equals + 1)..].Trim();
            if (value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[^1] == value[0])
            {
                value = value[1..^1];
            }
            else
            {
                var comment = value.IndexOf(" #", StringComparison.Ordinal);
                if (comment >= 0)
                {
                    value = value[..comment].TrimEnd();
                }
            }

            yield return new(key, value);
        }
    }
}
