using OrleansSpotify.Storage.Import;

namespace OrleansSpotify.Storage.Tests;

public sealed class NameKeyTests
{
    [Theory]
    [InlineData("Héroes", "heroes")]
    [InlineData("HEROES", "heroes")]
    [InlineData("Heroes - 2017 Remaster", "heroes")]
    [InlineData("Heroes - Remastered 2011", "heroes")]
    [InlineData("Heroes (2011 Remaster)", "heroes")]
    [InlineData("Heroes [Remastered]", "heroes")]
    [InlineData("Song (feat. Someone Else)", "song")]
    [InlineData("Song [ft. Someone]", "song")]
    [InlineData("Song feat. Someone", "song")]
    [InlineData("Song (with Friend)", "song")]
    [InlineData("Don't Stop Me Now", "dont stop me now")]
    [InlineData("Don’t  Stop... Me, Now!", "dont stop me now")]
    [InlineData("Simon & Garfunkel", "simon and garfunkel")]
    [InlineData("Simon and Garfunkel", "simon and garfunkel")]
    [InlineData("Sigur Rós", "sigur ros")]
    [InlineData("Beyoncé", "beyonce")]
    [InlineData("ｆｕｌｌ ｗｉｄｔｈ", "full width")]
    [InlineData("  padded\ttext  ", "padded text")]
    [InlineData("東京事変", "東京事変")]
    [InlineData("!!!", "")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void NamesThatMeanTheSameRecordingHaveOneKey(string? name, string key) => Assert.Equal(key, NameKey.Normalise(name));

    [Theory]
    [InlineData("Heroes - Live")]
    [InlineData("Heroes (Acoustic)")]
    [InlineData("Heroes - Single Version")]
    [InlineData("Feather")]
    public void OtherVersionsAndLookAlikesKeepTheirOwnKey(string name) => Assert.NotEqual("heroes", NameKey.Normalise(name));

    [Fact]
    public void APairSeparatesArtistFromTitle()
    {
        Assert.Equal(NameKey.Pair("David Bowie", "Heroes - 2017 Remaster"), NameKey.Pair("DAVID BOWIE", "heroes"));
        Assert.NotEqual(NameKey.Pair("A B", "C"), NameKey.Pair("A", "B C"));
    }
}
