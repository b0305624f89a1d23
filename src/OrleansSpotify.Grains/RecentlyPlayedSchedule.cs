namespace OrleansSpotify.Grains;

/// <summary>
/// When a poll re-reads recently-played: another item started (or the same one started over), playback stopped, or
/// the last read is older than the interval for a playing or an idle account (offline plays are backfilled late).
/// </summary>
internal static class RecentlyPlayedSchedule
{
    /// <param name="state">What earlier polls saw: the last item and its progress, whether it played, the last read.</param>
    /// <param name="playing">Whether this poll sees something playing.</param>
    /// <param name="item">The <see cref="ItemKey"/> of the item this poll sees, if any.</param>
    /// <param name="progressMs">This poll's progress into the item.</param>
    public static bool IsDue(ListenerState state, bool playing, string? item, long progressMs, DateTimeOffset now, ListenerOptions options)
    {
        var trackChanged = playing && (item != state.LastTrackId || ItemKey.Restarted(state.LastProgressMs, progressMs));
        var stopped = state.WasPlaying && !playing;
        var sinceLastRead = state.LastHistoryReadAt is { } last ? now - last : TimeSpan.MaxValue;
        return trackChanged || stopped || sinceLastRead >= (playing ? options.HistoryIntervalWhileActive : options.HistoryIntervalWhileIdle);
    }
}
