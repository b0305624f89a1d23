namespace OrleansSpotify.Grains;

/// <summary>IANA time zones by id (the host validates them before asking).</summary>
public static class Zones
{
    public static TimeZoneInfo Find(string id) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : throw new ArgumentException($"Unknown time zone '{id}'.", nameof(id));
}
