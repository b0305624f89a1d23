using System.Text;
using OrleansSpotify.Abstractions;

namespace OrleansSpotify.Import.Tests;

public sealed class RecognitionTests
{
    [Theory]
    [InlineData("Streaming_History_Audio_2019-2020_2.json", ImportFormat.ExtendedHistory)]
    [InlineData("Spotify Extended Streaming History/Streaming_History_Audio_2024_7.json", ImportFormat.ExtendedHistory)]
    [InlineData("streaming_history_audio_2024.JSON", ImportFormat.ExtendedHistory)]
    [InlineData("Streaming_History_Video_2019-2024.json", ImportFormat.ExtendedHistory)]
    [InlineData("MyData/endsong_0.json", ImportFormat.ExtendedHistory)]
    [InlineData("endsong.json", ImportFormat.ExtendedHistory)]
    [InlineData("StreamingHistory_music_0.json", ImportFormat.AccountData)]
    [InlineData("Spotify Account Data\\StreamingHistory_podcast_12.json", ImportFormat.AccountData)]
    [InlineData("StreamingHistory0.json", ImportFormat.AccountData)]
    [InlineData("StreamingHistory.json", ImportFormat.AccountData)]
    [InlineData("orleans-spotify-plays-2026-12-02.json", ImportFormat.OrleansSpotify)]
    [InlineData("Userdata.json", null)]
    [InlineData("YourLibrary.json", null)]
    [InlineData("Playlist1.json", null)]
    [InlineData("ReadMeFirst_ExtendedStreamingHistory.pdf", null)]
    [InlineData("Streaming_History_Audio_2021.json.bak", null)]
    [InlineData("endsong_0.txt", null)]
    [InlineData("Streaming_History_Audio_2021.json/", null)]
    public void Files_are_recognised_by_name_in_any_folder(string path, ImportFormat? expected) =>
        Assert.Equal(expected, ImportFileNames.Recognise(path));

    [Theory]
    [InlineData("""[{"ts":"2021-01-01T00:00:00Z","ms_played":1}]""", ImportFormat.ExtendedHistory)]
    [InlineData("""  [ {"ms_played":1, "conn_country":"DE"} ]""", ImportFormat.ExtendedHistory)]
    [InlineData("""[{"endTime":"2023-03-01 00:59","artistName":"A","trackName":"B","msPlayed":1}]""", ImportFormat.AccountData)]
    [InlineData("""[{"endTime":"2023-03-01 00:59","podcastName":"A","episodeName":"B","msPlayed":1}]""", ImportFormat.AccountData)]
    [InlineData("""{"format":"orleans-spotify-plays","version":1,"plays":[]}""", ImportFormat.OrleansSpotify)]
    [InlineData("""{"exportedAt":"2026-12-02T08:00:00Z","nested":{"format":"x"},"format":"orleans-spotify-plays"}""", ImportFormat.OrleansSpotify)]
    [InlineData("""[]""", ImportFormat.ExtendedHistory)]
    public void Files_with_other_names_are_recognised_by_content(string json, ImportFormat expected) =>
        Assert.Equal(expected, ImportFormatSniffer.Recognise(Encoding.UTF8.GetBytes(json), complete: true, "upload.json"));

    [Theory]
    [InlineData("""{"username":"listener","email":"a@b.c"}""", "not a Spotify streaming history file nor this service's export: it holds a JSON object without the \"format\": \"orleans-spotify-plays\" marker")]
    [InlineData("""{"format":"something-else"}""", "not a Spotify streaming history file nor this service's export: it holds a JSON object without the \"format\": \"orleans-spotify-plays\" marker")]
    [InlineData("""[{"artist":"A","track":"B"}]""", "not a Spotify streaming history file nor this service's export: it holds records with neither ts/ms_played (extended streaming history) nor endTime/msPlayed (account data)")]
    [InlineData("""[1,2,3]""", "not a Spotify streaming history file nor this service's export: it holds an array of something other than objects")]
    [InlineData("""42""", "not a Spotify streaming history file nor this service's export: it holds a JSON value that is neither an array nor an object")]
    [InlineData("", "the file is empty")]
    public void Files_of_another_kind_are_refused_by_content(string json, string reason)
    {
        var error = Assert.Throws<ImportFormatException>(() => ImportFormatSniffer.Recognise(Encoding.UTF8.GetBytes(json), complete: true, "Userdata.json"));
        Assert.Equal(("Userdata.json", (long?)null, reason), (error.File, error.Record, error.Reason));
    }

    [Fact]
    public void A_file_that_is_not_json_is_refused_by_content()
    {
        var error = Assert.Throws<ImportFormatException>(() => ImportFormatSniffer.Recognise("%PDF-1.4\n%âãÏÓ"u8, complete: true, "ReadMe.pdf"));
        Assert.StartsWith("ReadMe.pdf: not a JSON file (", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Spotify Extended Streaming History/Streaming_History_Audio_2021.json", true)]
    [InlineData("a/b/c.json", true)]
    [InlineData("a..b/c.json", true)]
    [InlineData("../Streaming_History_Audio_2021.json", false)]
    [InlineData("a/../../endsong_0.json", false)]
    [InlineData("a\\..\\..\\endsong_0.json", false)]
    [InlineData("/etc/endsong_0.json", false)]
    [InlineData("\\Windows\\endsong_0.json", false)]
    [InlineData("C:\\Users\\endsong_0.json", false)]
    [InlineData("c:endsong_0.json", false)]
    [InlineData("..", false)]
    [InlineData("", false)]
    public void Zip_entry_paths_that_leave_the_archive_are_unsafe(string path, bool safe) =>
        Assert.Equal(safe, ZipEntryPaths.IsSafe(path));
}
