using Microsoft.Extensions.Configuration;
using OrleansSpotify.Storage;

namespace OrleansSpotify.Host.Backup;

/// <summary>
/// The Host's maintenance commands, run instead of the service: <c>backup --to FILE [--force]</c> and
/// <c>restore --from FILE [--force]</c>. The data directory comes from the same configuration as the service's
/// (appsettings.json, environment, <c>.env</c>, <c>--Storage:DataDirectory=...</c>). Exit code 0 on success, 1 when the
/// command failed (a message says why), 2 on a usage error.
/// </summary>
public static class Commands
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int Usage = 2;

    private const string UsageText = """
        Usage:
          OrleansSpotify.Host backup --to FILE [--force]     online backup of the database and the key ring into FILE
          OrleansSpotify.Host restore --from FILE [--force]  restore a backup into the (empty) data directory
        The data directory is Storage__DataDirectory (default ./data), as for the service.
        """;

    /// <summary>True when the first argument names a command (the service is not started then).</summary>
    public static bool IsCommand(string[] args) => args is ["backup" or "restore", ..];

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (!TryParse(args[1..], out var file, out var force, out var rest, out var problem))
        {
            await error.WriteLineAsync($"{args[0]}: {problem}");
            await error.WriteLineAsync(UsageText);
            return Usage;
        }

        var storage = StorageFrom(args, rest);
        try
        {
            var message = args[0] == "backup"
                ? DatabaseBackup.Create(storage, file!, force)
                : DatabaseRestore.Restore(storage, file!, force);
            await output.WriteLineAsync(message);
            return Ok;
        }
        catch (CommandException exception)
        {
            await error.WriteLineAsync($"{args[0]}: {exception.Message}");
            return Failed;
        }
    }

    private static bool TryParse(string[] args, out string? file, out bool force, out List<string> rest, out string? problem)
    {
        file = null;
        force = false;
        rest = [];
        problem = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--to" or "--from" when i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal):
                    file = args[++i];
                    break;
                case "--to" or "--from":
                    problem = $"{args[i]} needs a file name.";
                    return false;
                case "--force":
                    force = true;
                    break;
                default:
                    rest.Add(args[i]);
                    break;
            }
        }

        if (string.IsNullOrWhiteSpace(file))
        {
            problem = "no file given.";
            return false;
        }

        return true;
    }

    /// <summary>The service's storage settings: appsettings.json, environment, .env and the remaining arguments.</summary>
    private static StorageOptions StorageFrom(string[] args, List<string> rest)
    {
        var contentRoot = ContentRoot.FromArgs(args) ?? AppContext.BaseDirectory;
        var configuration = new ConfigurationManager();
        configuration.SetBasePath(contentRoot);
        configuration.AddJsonFile("appsettings.json", optional: true);
        configuration.AddEnvironmentVariables();
        configuration.AddCommandLine([.. rest]);
        DotEnv.Load(configuration, Path.Combine(contentRoot, ".env"), Path.Combine(Directory.GetCurrentDirectory(), ".env"));
        return configuration.GetSection(StorageOptions.SectionName).Get<StorageOptions>() ?? new StorageOptions();
    }
}

/// <summary>A command's failure, with the message shown to the user.</summary>
public sealed class CommandException(string message, Exception? inner = null) : Exception(message, inner);
