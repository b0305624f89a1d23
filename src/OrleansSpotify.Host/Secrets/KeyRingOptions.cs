namespace OrleansSpotify.Host.Secrets;

/// <summary>
/// Section <c>DataProtection</c>: the certificate that encrypts the Data Protection key ring at rest (optional). Without
/// one the keys are files only the service's user can read (0600 in a 0700 directory).
/// </summary>
public sealed class KeyRingOptions
{
    public const string SectionName = "DataProtection";

    /// <summary>A PKCS#12 (.pfx/.p12) file with a private key (<c>DataProtection__CertificatePath</c>).</summary>
    public string? CertificatePath { get; set; }

    /// <summary>Its password (<c>DataProtection__CertificatePassword</c>), if it has one.</summary>
    public string? CertificatePassword { get; set; }
}
