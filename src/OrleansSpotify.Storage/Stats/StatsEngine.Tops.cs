using OrleansSpotify.Abstractions;

namespace OrleansSpotify.Storage.Stats;

// Per-member walk: every log as it is, no merge (household tops also count each member apart for contributors).
public sealed partial class StatsEngine
{
    /// <param name="members">
    /// The account of each log, in the order the engine was given them (household tops): each entry shown then lists
    /// the members who played it. Null for one account's tops.
    /// </param>
    public TopList Top(TopKind kind, StatsRequest request, IReadOnlyList<string>? members = null)
    {
        var current = TallyPerMember(kind, request.From, request.To);
        DateTimeOffset? previousFrom = null, previousTo = null;
        Tallies? previous = null;
        int[]? previousOrder = null;
        if (request.From is { } requestFrom && request.To is { } requestTo)
        {
            // The period of the same length just before; clamped at the first instant stats know (so the period
            // before one that starts there is empty).
            var (from, to) = (LocalClock.Clamp(requestFrom), LocalClock.Clamp(requestTo));
            previousTo = from;
            previousFrom = from.UtcTicks - LocalClock.MinInstant.UtcTicks < (to - from).Ticks ? LocalClock.MinInstant : from - (to - from);
            previous = TallyPerMember(kind, previousFrom, previousTo);
            previousOrder = previous.Ranked(request.By, int.MaxValue, ids => names.SortKeys(kind, ids));
        }

        var ranked = current.Ranked(request.By, request.Limit, ids => names.SortKeys(kind, ids));
        var entries = kind switch
        {
            TopKind.Tracks => names.Tracks(ranked),
            TopKind.Artists => names.Artists(ranked),
            _ => names.Albums(ranked),
        };

        // Ranks in the previous period, only for the keys shown.
        var shown = ranked.ToHashSet();
        var previousRanks = new Dictionary<int, int>();
        for (var r = 0; previousOrder is not null && r < previousOrder.Length && previousRanks.Count < shown.Count; r++)
        {
            if (shown.Contains(previousOrder[r]))
            {
                previousRanks[previousOrder[r]] = r + 1;
            }
        }

        var contributors = members is null ? null : ContributorsPerMember(kind, request.From, request.To, ranked, members);
        var items = ranked.Select((key, index) =>
        {
            var entry = entries.GetValueOrDefault(key);
            return new TopEntry(
                index + 1,
                entry?.SpotifyId,
                entry?.Name ?? "Unknown",
                entry?.Subtitle,
                entry?.ImageUrl,
                current.Plays[key],
                current.Time(key),
                previousRanks.TryGetValue(key, out var rank) ? rank : null,
                contributors?[index]);
        }).ToList();
        return new TopList(kind, request.By, previousFrom, previousTo, items);
    }

    /// <summary>The internal ids (tracks, primary artists or albums) of the top <paramref name="limit"/>, best first.</summary>
    public int[] TopKeys(TopKind kind, StatsRequest request, int limit) =>
        TallyPerMember(kind, request.From, request.To).Ranked(request.By, limit, ids => names.SortKeys(kind, ids));

    private Tallies TallyPerMember(TopKind kind, DateTimeOffset? from, DateTimeOffset? to)
    {
        var keys = kind switch
        {
            TopKind.Tracks => null,
            TopKind.Artists => catalog.ArtistOf,
            _ => catalog.AlbumOf,
        };
        var size = kind switch
        {
            TopKind.Tracks => Math.Max(catalog.ArtistOf.Length, logs.Count == 0 ? 0 : logs.Max(l => l.MaxTrackId) + 1),
            TopKind.Artists => catalog.MaxArtistId + 1,
            _ => catalog.MaxAlbumId + 1,
        };
        var tallies = new Tallies(size);
        foreach (var (part, start, end) in PerMemberSlices(from, to))
        {
            for (var i = start; i < end; i++)
            {
                var track = part.TrackIds[i];
                var key = keys is null ? track : (uint)track < (uint)keys.Length ? keys[track] : 0;
                if (key > 0)
                {
                    tallies.Add(key, part.Ms[i], part.MsReported[i]);
                }
            }
        }

        return tallies;
    }

    /// <summary>
    /// Per entry shown, the members who played it in [from, to), most plays first: one more walk over each member's
    /// slice of the log, counting only the <paramref name="ranked"/> keys (the top k, not every track).
    /// </summary>
    private List<Contributor>[] ContributorsPerMember(TopKind kind, DateTimeOffset? from, DateTimeOffset? to, int[] ranked, IReadOnlyList<string> members)
    {
        var keys = kind switch
        {
            TopKind.Tracks => null,
            TopKind.Artists => catalog.ArtistOf,
            _ => catalog.AlbumOf,
        };
        // Slot + 1 of each shown key (0: not shown), indexed by key: an array read per play, no hashing.
        var slot = new int[ranked.Length == 0 ? 0 : ranked.Max() + 1];
        for (var r = 0; r < ranked.Length; r++)
        {
            slot[ranked[r]] = r + 1;
        }

        var counts = new long[ranked.Length];
        var result = new List<Contributor>[ranked.Length];
        for (var r = 0; r < ranked.Length; r++)
        {
            result[r] = [];
        }

        var slices = PerMemberSlices(from, to);
        for (var m = 0; m < slices.Count; m++)
        {
            Array.Clear(counts);
            var (part, start, end) = slices[m];
            for (var i = start; i < end; i++)
            {
                var track = part.TrackIds[i];
                var key = keys is null ? track : (uint)track < (uint)keys.Length ? keys[track] : 0;
                if ((uint)key < (uint)slot.Length && slot[key] > 0)
                {
                    counts[slot[key] - 1]++;
                }
            }

            for (var r = 0; r < ranked.Length; r++)
            {
                if (counts[r] > 0)
                {
                    result[r].Add(new Contributor(members[m], counts[r]));
                }
            }
        }

        foreach (var list in result)
        {
            list.Sort((a, b) => b.Plays != a.Plays ? b.Plays.CompareTo(a.Plays) : string.CompareOrdinal(a.AccountId, b.AccountId));
        }

        return result;
    }
}
