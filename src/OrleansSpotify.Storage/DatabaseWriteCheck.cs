namespace OrleansSpotify.Storage;

/// <summary>The outcome of <c>/readyz</c>'s database write (<see cref="SqliteDatabase.ProbeWrite"/>).</summary>
/// <param name="Ready">The heartbeat committed and enough room is left to grow.</param>
/// <param name="Detail">Why, in words (shown in <c>/readyz</c>'s answer).</param>
/// <param name="CheckedAt">When the write was made.</param>
/// <param name="FreeBytes">Room left for the database to grow; null when the write itself failed.</param>
public sealed record DatabaseWriteCheck(bool Ready, string Detail, DateTimeOffset CheckedAt, long? FreeBytes);
