using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Data.Sqlite;

namespace OrleansSpotify.Host.Tests.Secrets;

[Collection(HostCollection.Name)]
public sealed class KeyRingCertificateTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "orleans-spotify-host-tests", Guid.NewGuid().ToString("N"));

    public KeyRingCertificateTests() => Directory.CreateDirectory(_root);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task WithACertificateConfiguredTheKeyRingIsEncryptedAndARestartStillOpensTheSealedTokens()
    {
        var certificate = WriteSelfSignedCertificate("s3cret");
        await using var spotify = await Household.StartSpotifyAsync();
        var data = Path.Combine(_root, "data");
        var settings = new Dictionary<string, string?>(Household.Settings(spotify))
        {
            ["Storage:DataDirectory"] = data,
            ["DataProtection:CertificatePath"] = certificate,
            ["DataProtection:CertificatePassword"] = "s3cret",
        };
        var cookies = new CookieContainer();
        await using (var first = new HostApplication(settings))
        {
            using var browser = Household.Browser(first, cookies);
            await Household.SignInAsync(browser);
            await Household.AnsweredAsync(spotify, "currently-playing");
        }

        // The key's secret is in the file only as EncryptedXml for the certificate, never as the plain <value>.
        var key = Assert.Single(Directory.GetFiles(Path.Combine(data, "keys"), "key-*.xml"));
        var xml = await File.ReadAllTextAsync(key, TestContext.Current.CancellationToken);
        Assert.Contains("EncryptedData", xml, StringComparison.Ordinal);
        Assert.DoesNotContain("unencrypted form", xml, StringComparison.Ordinal);

        // A restart reads the listener's sealed state with that key (decrypted by the certificate) and keeps polling.
        SqliteConnection.ClearAllPools();
        var before = spotify.Requests.Count - 1;
        await using var second = new HostApplication(settings);
        using var again = Household.Browser(second, cookies);
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync("/api/me", TestContext.Current.CancellationToken)).StatusCode);
        await Household.AnsweredAsync(spotify, "currently-playing", before);
        Assert.DoesNotContain(spotify.Requests.Skip(before + 1), r => r.Endpoint == "token");
    }

    [Fact]
    public async Task AWrongCertificatePasswordStopsTheStartWithAMessageNamingTheSetting()
    {
        var certificate = WriteSelfSignedCertificate("s3cret");
        await using var app = new HostApplication(new Dictionary<string, string?>
        {
            ["Spotify:ClientId"] = "client",
            ["DataProtection:CertificatePath"] = certificate,
            ["DataProtection:CertificatePassword"] = "wrong",
        });

        var failure = Assert.ThrowsAny<Exception>(() => app.Services);

        Assert.Contains("DataProtection__CertificatePassword", failure.ToString(), StringComparison.Ordinal);
    }

    private string WriteSelfSignedCertificate(string password)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=OrleansSpotify key ring (test)", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var path = Path.Combine(_root, "key-ring.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12, password));
        return path;
    }
}
