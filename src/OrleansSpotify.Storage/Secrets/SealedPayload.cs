namespace OrleansSpotify.Storage;

/// <summary>
/// The at-rest format of a grain state: a 4-byte marker followed by the <see cref="ISecretProtector"/>'s output.
/// The marker tells sealed rows from the plaintext rows that versions before sealing wrote, so that those are read
/// once and re-written sealed (see <see cref="GrainStateSealer"/>).
/// </summary>
public static class SealedPayload
{
    private static ReadOnlySpan<byte> Marker => "OSs\u0001"u8;

    public static bool IsSealed(ReadOnlySpan<byte> payload) => payload.StartsWith(Marker);

    public static byte[] Seal(ISecretProtector protector, byte[] plaintext)
    {
        ArgumentNullException.ThrowIfNull(protector);
        var sealedBytes = protector.Protect(plaintext);
        var payload = new byte[Marker.Length + sealedBytes.Length];
        Marker.CopyTo(payload);
        sealedBytes.CopyTo(payload.AsSpan(Marker.Length));
        return payload;
    }

    /// <summary>The plaintext of a sealed payload; a payload without the marker (written before sealing) as it is.</summary>
    public static byte[] Open(ISecretProtector protector, byte[] payload)
    {
        ArgumentNullException.ThrowIfNull(protector);
        ArgumentNullException.ThrowIfNull(payload);
        return IsSealed(payload) ? protector.Unprotect(payload[Marker.Length..]) : payload;
    }
}
