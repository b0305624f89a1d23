using Microsoft.Extensions.Options;

namespace OrleansSpotify.Spotify;

/// <summary>Source-generated check of the data annotations on <see cref="SpotifyOptions"/>; runs on start with <c>ValidateOnStart</c>.</summary>
[OptionsValidator]
internal sealed partial class SpotifyOptionsValidator : IValidateOptions<SpotifyOptions>;
