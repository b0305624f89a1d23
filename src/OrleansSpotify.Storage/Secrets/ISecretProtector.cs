namespace OrleansSpotify.Storage;

/// <summary>
/// Seals secrets before they are written to disk (and opens them again). The Host implements it over ASP.NET Core
/// Data Protection, whose key ring lives in the data directory; grains and storage see only this interface.
/// </summary>
public interface ISecretProtector
{
    byte[] Protect(byte[] plaintext);

    /// <exception cref="System.Security.Cryptography.CryptographicException">The payload was not sealed with a key of this key ring, or was altered.</exception>
    byte[] Unprotect(byte[] protectedData);
}
