using Microsoft.AspNetCore.DataProtection;
using OrleansSpotify.Storage;

namespace OrleansSpotify.Host.Secrets;

/// <summary>Grain state sealing (<see cref="ISecretProtector"/>) over the Host's Data Protection key ring.</summary>
public sealed class DataProtectionSecretProtector(IDataProtectionProvider provider) : ISecretProtector
{
    /// <summary>The purpose that isolates these payloads from the sign-in cookie and every other protector of the key ring.</summary>
    public const string Purpose = "OrleansSpotify.GrainState.v1";

    private readonly IDataProtector _protector = provider.CreateProtector(Purpose);

    public byte[] Protect(byte[] plaintext) => _protector.Protect(plaintext);

    public byte[] Unprotect(byte[] protectedData) => _protector.Unprotect(protectedData);
}
