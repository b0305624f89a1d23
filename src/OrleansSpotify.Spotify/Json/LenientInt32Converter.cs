using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrleansSpotify.Spotify.Json;

/// <summary>An int32 that tolerates floats and numeric strings; out-of-range values read as null.</summary>
internal sealed class LenientInt32Converter : JsonConverter<int?>
{
    public override bool HandleNull => true;

    public override int? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        LenientNumberReader.ReadInt64(ref reader) is { } value and >= int.MinValue and <= int.MaxValue ? (int)value : null;

    public override void Write(Utf8JsonWriter writer, int? value, JsonSerializerOptions options)
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
