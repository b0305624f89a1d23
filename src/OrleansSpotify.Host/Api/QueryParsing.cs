using System.Globalization;

namespace OrleansSpotify.Host.Api;

/// <summary>Parses query parameters and collects errors keyed by parameter name for a 400 problem.</summary>
public sealed class QueryParsing
{
    private readonly Dictionary<string, string[]> _errors = new(StringComparer.Ordinal);

    public bool HasErrors => _errors.Count > 0;

    public IDictionary<string, string[]> Errors => _errors;

    /// <summary>An ISO-8601 date (midnight UTC) or date-time (UTC unless an offset is given).</summary>
    public DateTimeOffset? Instant(string name, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            return parsed;
        }

        Add(name, $"'{value}' is not an ISO-8601 date or date-time (e.g. 2026-11-25 or 2026-11-25T18:30:00Z).");
        return null;
    }

    public int Int(string name, string? value, int defaultValue, int min, int max)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return defaultValue;
        }

        if (!int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) || parsed < min || parsed > max)
        {
            Add(name, $"'{value}' must be a whole number from {min} to {max}.");
            return defaultValue;
        }

        return parsed;
    }

    public void Add(string name, string message) => _errors[name] = [.. _errors.GetValueOrDefault(name) ?? [], message];
}
