using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace OrleansSpotify.Storage.Import;

/// <summary>
/// The one normalisation of artist, track and album names by which imported rows (which carry names, not ids) are
/// matched to what polling stored: case and diacritics folded, "&amp;" read as "and", punctuation dropped, whitespace
/// collapsed, and the suffixes that name the same recording differently removed ("feat. …", "(with …)" credits and
/// " - Remastered 2011" / "(2011 Remaster)").
/// </summary>
public static partial class NameKey
{
    /// <summary>The key of a name; "" for null or a name of nothing but punctuation.</summary>
    public static string Normalise(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return "";
        }

        // The suffix patterns only where they can match: most names have no bracket, dash or credit.
        var text = name;
        if (text.AsSpan().IndexOfAny('(', '[') >= 0)
        {
            text = FeaturingInBrackets().Replace(text, " ");
            text = RemasterInBrackets().Replace(text, " ");
        }

        if (text.Contains(" f", StringComparison.OrdinalIgnoreCase))
        {
            text = FeaturingToEnd().Replace(text, "");
        }

        if (text.Contains(" - ", StringComparison.Ordinal))
        {
            text = RemasterAfterDash().Replace(text, "");
        }

        var decomposed = Ascii.IsValid(text) ? text : text.Normalize(NormalizationForm.FormKD);
        var key = new StringBuilder(decomposed.Length);
        var space = false;
        foreach (var c in decomposed)
        {
            switch (CharUnicodeInfo.GetUnicodeCategory(c))
            {
                case UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark:
                    continue;
                case UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                    or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter or UnicodeCategory.DecimalDigitNumber
                    or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber:
                    if (space && key.Length > 0)
                    {
                        key.Append(' ');
                    }

                    space = false;
                    key.Append(char.ToLowerInvariant(c));
                    break;
                default:
                    if (c == '&')
                    {
                        key.Append(key.Length > 0 ? " and" : "and");
                    }

                    // Apostrophes join ("Don't" is "dont"); every other mark separates words.
                    space |= c is not ('\'' or '\u2019');
                    break;
            }
        }

        return key.ToString();
    }

    /// <summary>The key of an (artist, title) pair: the two keys with a separator no key contains.</summary>
    public static string Pair(string? artist, string? title) => Normalise(artist) + "\u001f" + Normalise(title);

    [GeneratedRegex(@"\s*[\(\[]\s*(feat\.?|ft\.?|featuring|with)\s[^\)\]]*[\)\]]", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex FeaturingInBrackets();

    [GeneratedRegex(@"\s+(feat\.|ft\.|featuring)\s.*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex FeaturingToEnd();

    [GeneratedRegex(@"\s*[\(\[][^\)\]]*\bremaster(ed)?\b[^\)\]]*[\)\]]", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex RemasterInBrackets();

    [GeneratedRegex(@"\s+-\s+[^-]*\bremaster(ed)?\b[^-]*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex RemasterAfterDash();
}
