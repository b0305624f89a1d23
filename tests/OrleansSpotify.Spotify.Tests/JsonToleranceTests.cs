using System.Text;
using System.Text.Json;
using OrleansSpotify.Spotify.Json;

namespace OrleansSpotify.Spotify.Tests;

/// <summary>The lenient readers on their own, beyond what the HTTP fixtures exercise.</summary>
public sealed class JsonToleranceTests
{
    [Theory]
    [InlineData("215000", 215000L)]
    [InlineData("215000.0", 215000L)]
    [InlineData("5190.4", 5190L)]
    [InlineData("1788264000123", 1788264000123L)]
    [InlineData("\"42\"", 42L)]
    [InlineData("\"42.0\"", 42L)]
    [InlineData("{\"totalMilliseconds\":188000}", 188000L)]
    [InlineData("{\"other\":[1,{\"a\":2}],\"totalMilliseconds\":188000.0,\"more\":{}}", 188000L)]
    [InlineData("{\"ticks\":5}", null)]
    [InlineData("null", null)]
    [InlineData("true", null)]
    [InlineData("[1,2]", null)]
    [InlineData("\"soon\"", null)]
    public void Duration_reads_leniently(string json, long? expected)
    {
        var dto = JsonSerializer.Deserialize($$"""{"duration_ms":{{json}},"name":"after"}""", SpotifyJsonContext.Default.PlayableItemDto);

        Assert.NotNull(dto);
        Assert.Equal(expected, dto.DurationMs);
        Assert.Equal("after", dto.Name);
    }

    [Theory]
    [InlineData("640", 640)]
    [InlineData("640.0", 640)]
    [InlineData("null", null)]
    [InlineData("99999999999", null)]
    public void Image_sizes_read_leniently(string json, int? expected)
    {
        var dto = JsonSerializer.Deserialize($$"""{"url":"u","width":{{json}},"height":{{json}}}""", SpotifyJsonContext.Default.ImageDto);

        Assert.Equal(expected, dto?.Width);
        Assert.Equal(expected, dto?.Height);
    }

    [Theory]
    [InlineData("2017-05-14T17:45:08.359Z", "2017-05-14T17:45:08.3590000+00:00")]
    [InlineData("2017-05-14T17:45:08Z", "2017-05-14T17:45:08.0000000+00:00")]
    [InlineData("2017-05-14T17:45Z", "2017-05-14T17:45:00.0000000+00:00")]
    [InlineData("2017-05-14T17:45:08.1Z", "2017-05-14T17:45:08.1000000+00:00")]
    [InlineData("2017-05-14T17:45:08.123456789Z", "2017-05-14T17:45:08.1234568+00:00")]
    [InlineData("2017-05-14T19:45:08.359+02:00", "2017-05-14T17:45:08.3590000+00:00")]
    [InlineData("2017-05-14T17:45:08.359", "2017-05-14T17:45:08.3590000+00:00")]
    [InlineData(" 2017-05-14T17:45:08.359Z ", "2017-05-14T17:45:08.3590000+00:00")]
    public void Played_at_parses_at_any_precision_as_utc(string text, string expected)
    {
        Assert.True(SpotifyTimestamps.TryParse(text, out var value));
        Assert.Equal(expected, value.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("yesterday")]
    public void Unreadable_played_at_is_rejected(string? text) => Assert.False(SpotifyTimestamps.TryParse(text, out _));

    [Fact]
    public void Both_error_shapes_are_read()
    {
        var api = Http.SpotifyErrorBody.TryParse(Encoding.UTF8.GetBytes("""{"error":{"status":429,"message":"Too many requests","reason":"QUOTA_EXCEEDED"}}"""));
        var token = Http.SpotifyErrorBody.TryParse(Encoding.UTF8.GetBytes("""{"error":"invalid_grant","error_description":"Refresh token revoked"}"""));

        Assert.Equal(new Http.SpotifyErrorBody(null, "Too many requests", "QUOTA_EXCEEDED"), api);
        Assert.True(api!.IsQuotaExceeded);
        Assert.Equal(new Http.SpotifyErrorBody("invalid_grant", "Refresh token revoked", null), token);
    }

    [Theory]
    [InlineData("")]
    [InlineData("<html><body>502 Bad Gateway</body></html>")]
    [InlineData("{\"error\":")]
    [InlineData("{\"message\":\"no error member\"}")]
    [InlineData("{\"error\":42}")]
    public void Other_error_bodies_are_ignored(string body) =>
        Assert.Null(Http.SpotifyErrorBody.TryParse(Encoding.UTF8.GetBytes(body)));
}
