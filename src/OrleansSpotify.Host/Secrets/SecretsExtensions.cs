using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using OrleansSpotify.Storage;

namespace OrleansSpotify.Host.Secrets;

public static class SecretsExtensions
{
    /// <summary>The key ring's folder under the data directory.</summary>
    public const string KeysFolder = "keys";

    /// <summary>
    /// Data Protection with its key ring in <c>{DataDirectory}/keys</c> (owner-only files, optionally encrypted with the
    /// certificate of <see cref="KeyRingOptions"/>). It protects the sign-in cookie and seals grain state, Spotify's
    /// tokens included (<see cref="DataProtectionSecretProtector"/>): a restart signs no one out and the tokens stay
    /// readable, as long as the key ring is kept (a backup includes it).
    /// </summary>
    public static TBuilder AddSecretsAtRest<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        var storage = builder.Configuration.GetSection(StorageOptions.SectionName).Get<StorageOptions>() ?? new StorageOptions();
        var keyRing = builder.Configuration.GetSection(KeyRingOptions.SectionName).Get<KeyRingOptions>() ?? new KeyRingOptions();
        var keysDirectory = Path.GetFullPath(Path.Combine(storage.DataDirectory, KeysFolder));

        var dataProtection = builder.Services.AddDataProtection().SetApplicationName("OrleansSpotify");
        builder.Services.AddOptions<KeyManagementOptions>().Configure<ILoggerFactory>((options, loggerFactory) =>
        {
            PrivateFiles.EnsureDirectory(Path.GetDirectoryName(keysDirectory)!);
            options.XmlRepository = new PrivateKeyRepository(keysDirectory, loggerFactory);
        });

        if (!string.IsNullOrWhiteSpace(keyRing.CertificatePath))
        {
            dataProtection.ProtectKeysWithCertificate(LoadCertificate(keyRing));
        }

        builder.Services.AddSingleton<ISecretProtector, DataProtectionSecretProtector>();
        return builder;
    }

    private static X509Certificate2 LoadCertificate(KeyRingOptions options)
    {
        var path = options.CertificatePath!;
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"DataProtection__CertificatePath '{path}' does not exist: give the path of a PKCS#12 (.pfx) file with a private key, or unset it.");
        }

        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, options.CertificatePassword, X509KeyStorageFlags.EphemeralKeySet);
        }
        catch (System.Security.Cryptography.CryptographicException exception)
        {
            throw new InvalidOperationException($"DataProtection__CertificatePath '{path}' could not be read as PKCS#12 with the configured DataProtection__CertificatePassword: {exception.Message}", exception);
        }

        if (!certificate.HasPrivateKey)
        {
            throw new InvalidOperationException($"DataProtection__CertificatePath '{path}' has no private key: the key ring could not be decrypted with it.");
        }

        return certificate;
    }
}
