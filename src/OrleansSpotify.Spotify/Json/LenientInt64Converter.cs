using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrleansSpotify.Spotify.Json;

/// <summary>An int64 that tolerates floats, numeric strings and <c>{"totalMilliseconds":n}</c>; see <see cref="LenientNumberReader"/>.</summary>
internal sealed class LenientInt64Converter : JsonConverter<long?>
{
    public override bool HandleNull => true;

    public override long? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        LenientNumberReader.ReadInt64(ref reader);

    public override void Write(Utf8JsonWriter writer, long? value, JsonSerializerOptions options)
    {
        if (value is { } number)
        {
            writer.WriteNumberValue(number);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}
