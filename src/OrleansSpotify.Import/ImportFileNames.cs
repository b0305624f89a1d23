using System.Text.RegularExpressions;
using OrleansSpotify.Abstractions;

namespace OrleansSpotify.Import;

/// <summary>Recognises an export file by its name (the last path segment, in any folder, any case).</summary>
public static partial class ImportFileNames
{
    /// <summary>The format a file of this name holds, or null when the name says nothing.</summary>
    public static ImportFormat? Recognise(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var name = LastSegment(path);
        if (ExtendedHistory().IsMatch(name))
        {
            return ImportFormat.ExtendedHistory;
        }

        if (AccountData().IsMatch(name))
        {
            return ImportFormat.AccountData;
        }

        return OwnFormat().IsMatch(name) ? ImportFormat.OrleansSpotify : null;
    }

    public static bool IsZip(string path) => path.EndsWith(".zip", StringComparison.OrdinalIgnoreCase);

    public static bool IsJson(string path) => path.EndsWith(".json", StringComparison.OrdinalIgnoreCase);

    /// <summary>The part after the last <c>/</c> or <c>\</c>.</summary>
    public static string LastSegment(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var slash = path.AsSpan().LastIndexOfAny('/', '\\');
        return slash < 0 ? path : path[(slash + 1)..];
    }

    [GeneratedRegex(@"^(Streaming_History_(Audio|Video)_.*|endsong(_\d+)?)\.json$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ExtendedHistory();

    [GeneratedRegex(@"^StreamingHistory(_(music|podcast))?_?\d*\.json$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AccountData();

    [GeneratedRegex(@"^orleans-spotify-.*\.json$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex OwnFormat();
}
