using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using OrleansSpotify.Storage;

namespace OrleansSpotify.Testing;

/// <summary>
/// (Shared source: compiled into OrleansSpotify.Grains.Tests and OrleansSpotify.Benchmarks.)
/// Grain state sealed with a real Data Protection key ring in a folder of the test's data directory, as the Host's
/// DataProtectionSecretProtector does (the grains' assemblies cannot reference ASP.NET Core, so neither can share it).
/// A restarted silo on the same folder reads what the previous one sealed.
/// </summary>
internal sealed class KeyRingSecretProtector(IDataProtectionProvider provider) : ISecretProtector
{
    private readonly IDataProtector _protector = provider.CreateProtector("OrleansSpotify.GrainState.v1");

    public byte[] Protect(byte[] plaintext) => _protector.Protect(plaintext);

    public byte[] Unprotect(byte[] protectedData) => _protector.Unprotect(protectedData);

    public static void Register(IServiceCollection services, string keysDirectory)
    {
        services.AddDataProtection().SetApplicationName("OrleansSpotify").PersistKeysToFileSystem(new DirectoryInfo(keysDirectory));
        services.AddSingleton<ISecretProtector, KeyRingSecretProtector>();
    }
}
