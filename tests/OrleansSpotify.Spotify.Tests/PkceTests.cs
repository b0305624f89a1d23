namespace OrleansSpotify.Spotify.Tests;

public sealed class PkceTests
{
    private const string Unreserved = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";
    private const string UrlSafe = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    [Fact]
    public void Challenge_matches_the_RFC_7636_appendix_B_vector() =>
        Assert.Equal("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", Pkce.CreateCodeChallenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"));

    [Theory]
    [InlineData(43)]
    [InlineData(64)]
    [InlineData(128)]
    public void Verifier_has_the_requested_length_of_unreserved_characters(int length)
    {
        var verifier = Pkce.CreateCodeVerifier(length);

        Assert.Equal(length, verifier.Length);
        Assert.All(verifier, c => Assert.Contains(c, Unreserved));
    }

    [Fact]
    public void Default_verifier_is_64_characters_and_never_repeats()
    {
        var verifiers = Enumerable.Range(0, 100).Select(_ => Pkce.CreateCodeVerifier()).ToHashSet();

        Assert.Equal(100, verifiers.Count);
        Assert.All(verifiers, v => Assert.Equal(Pkce.DefaultVerifierLength, v.Length));
    }

    [Theory]
    [InlineData(42)]
    [InlineData(129)]
    public void Verifier_length_outside_43_to_128_is_rejected(int length) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Pkce.CreateCodeVerifier(length));

    [Fact]
    public void Challenge_is_unpadded_base64url_of_a_sha256()
    {
        var challenge = Pkce.CreateCodeChallenge(Pkce.CreateCodeVerifier());

        Assert.Equal(43, challenge.Length);
        Assert.All(challenge, c => Assert.Contains(c, UrlSafe));
    }

    [Fact]
    public void State_is_url_safe_and_unguessable()
    {
        var states = Enumerable.Range(0, 100).Select(_ => Pkce.CreateState()).ToHashSet();

        Assert.Equal(100, states.Count);
        Assert.All(states, s =>
        {
            Assert.True(s.Length >= 43);
            Assert.All(s, c => Assert.Contains(c, UrlSafe));
        });
    }
}
