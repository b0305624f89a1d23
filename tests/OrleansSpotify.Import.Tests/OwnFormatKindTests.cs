using System.Text;
using OrleansSpotify.Abstractions;
using OrleansSpotify.Import.OwnFormat;

namespace OrleansSpotify.Import.Tests;

/// <summary>The json export's <c>track.kind</c> and <c>track.collection</c>: episodes stay episodes through a round trip; older files read as music.</summary>
public sealed class OwnFormatKindTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Document(string trackFields) => $$$"""
        {"format":"orleans-spotify-plays","version":1,"exportedAt":"2026-12-02T08:00:00Z","accounts":[{"id":"alex","displayName":"Alex","plays":[
          {"playedAt":"2026-11-20T08:00:00Z","msPlayed":1500000,"source":"import-extended-history","context":null,
           "track":{"uri":"spotify:episode:e1","id":null,"name":"Episode One","durationMs":0,"explicit":false,"isLocal":false,"isrc":null,
                    {{{trackFields}}}"album":null,"artists":[]}}]}]}
        """;

    private static async Task<List<ImportedPlay>> ReadAsync(string json)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(json));
        var rows = new List<ImportedPlay>();
        await foreach (var row in new OrleansSpotifyExportReader().ReadAsync(stream, "orleans-spotify-alex.json", Ct))
        {
            rows.Add(row);
        }

        return rows;
    }

    [Theory]
    [InlineData("\"kind\":\"episode\",\"collection\":\"The Show\",", ImportedKind.Episode, "The Show")]
    [InlineData("\"kind\":\"audiobook\",\"collection\":\"A Book\",", ImportedKind.Audiobook, "A Book")]
    [InlineData("\"kind\":\"track\",\"collection\":null,", ImportedKind.Track, null)]
    [InlineData("", ImportedKind.Track, null)]
    public async Task TheKindAndCollectionAreRead(string fields, ImportedKind kind, string? collection)
    {
        var row = Assert.Single(await ReadAsync(Document(fields)));

        Assert.Equal((kind, collection), (row.Kind, row.CollectionName));
        Assert.Equal("spotify:episode:e1", row.Exact!.Track.Uri);
    }

    [Fact]
    public async Task AnUnknownKindIsAFormatErrorNamingThePlay()
    {
        var error = await Assert.ThrowsAsync<ImportFormatException>(() => ReadAsync(Document("\"kind\":\"video\",")));

        Assert.Equal((0L, "track.kind 'video' is not one of track, episode, audiobook"), (error.Record, error.Reason));
    }
}
