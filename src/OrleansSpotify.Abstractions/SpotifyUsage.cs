using System.Collections.Immutable;

namespace OrleansSpotify.Abstractions;

/// <summary>Calls sent in one minute (UTC, its start) for one account, endpoint and outcome.</summary>
[GenerateSerializer, Immutable]
[Alias("OrleansSpotify.SpotifyCallTallyEntry")]
public sealed record SpotifyCallTallyEntry(
    [property: Id(0)] DateTimeOffset Minute,
    [property: Id(1)] string AccountKey,
    [property: Id(2)] string Endpoint,
    [property: Id(3)] string Outcome,
    [property: Id(4)] int Count);

/// <summary>What a silo hands the governor: its calls since its last report, and its rate-limit gate's pause (if any).</summary>
[GenerateSerializer, Immutable]
[Alias("OrleansSpotify.SpotifyCallReport")]
public sealed record SpotifyCallReport(
    [property: Id(0)] ImmutableArray<SpotifyCallTallyEntry> Calls,
    [property: Id(1)] DateTimeOffset? PausedUntil,
    [property: Id(2)] string? PauseReason);

/// <summary>Calls of one UTC day for one account (key; <c>(sign-in)</c> for sign-ins), endpoint and outcome.</summary>
[GenerateSerializer, Immutable]
[Alias("OrleansSpotify.SpotifyUsageRow")]
public sealed record SpotifyUsageRow(
    [property: Id(0)] DateOnly Day,
    [property: Id(1)] string AccountKey,
    [property: Id(2)] string Endpoint,
    [property: Id(3)] string Outcome,
    [property: Id(4)] long Count);

/// <summary>The counted calls of a range of days (token-endpoint calls among them, endpoint <c>token</c>, not counted against the budget) and the budget now.</summary>
[GenerateSerializer, Immutable]
[Alias("OrleansSpotify.SpotifyUsage")]
public sealed record SpotifyUsage(
    [property: Id(0)] ImmutableArray<SpotifyUsageRow> Rows,
    [property: Id(1)] QuotaBudget Budget);
