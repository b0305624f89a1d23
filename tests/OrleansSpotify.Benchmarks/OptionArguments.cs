using System.Globalization;

namespace OrleansSpotify.Benchmarks;

/// <summary>Reading values of command-line options, shared by the benchmarks' option parsers.</summary>
internal static class OptionArguments
{
    /// <summary>The value after the option at <paramref name="index"/>, which then points at that value.</summary>
    public static string Value(IReadOnlyList<string> args, ref int index)
    {
        if (index + 1 >= args.Count)
        {
            throw new ArgumentException($"{args[index]} needs a value.");
        }

        index++;
        return args[index];
    }

    public static int Positive(string name, string value)
    {
        if (!int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) || number < 1)
        {
            throw new ArgumentException($"{name} needs a positive integer, not '{value}'.");
        }

        return number;
    }
}
