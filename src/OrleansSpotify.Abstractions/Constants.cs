namespace OrleansSpotify.Abstractions;

/// <summary>Names shared by the silo, the grains and the host.</summary>
public static class Constants
{
    /// <summary>The grain storage provider holding per-grain state (SQLite by default).</summary>
    public const string GrainStorage = "orleans-spotify";

    /// <summary>The state name of <c>ListenerGrain</c>.</summary>
    public const string ListenerStateName = "listener";

    /// <summary>The key of the one <c>StorageGrain</c>: SQLite has a single writer.</summary>
    public const long StorageGrainKey = 0;

    /// <summary>The key of the one household stats grain.</summary>
    public const long HouseholdKey = 0;

    /// <summary>The key of the one genre fetcher grain.</summary>
    public const long GenreFetcherKey = 0;

    /// <summary>The key of the one metadata fetcher grain (tracks' details and name-only tracks' real ones).</summary>
    public const long MetadataFetcherKey = 0;

    /// <summary>The key of the one Spotify quota governor: Spotify counts its quota per developer account, so one budget serves the deployment.</summary>
    public const long QuotaGovernorKey = 0;

    /// <summary>The reminder that brings a deactivated listener back.</summary>
    public const string ListenerWatchdogReminder = "listener-watchdog";
}
