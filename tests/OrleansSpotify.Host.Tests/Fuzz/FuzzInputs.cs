using System.Text;
using CsCheck;

namespace OrleansSpotify.Host.Tests.Fuzz;

/// <summary>One generated request: the method, the path and query as sent (already percent-encoded, or not quite), a body and its media type.</summary>
internal sealed record FuzzInput(string Method, string PathAndQuery, byte[]? Body, string? ContentType)
{
    public override string ToString()
    {
        var target = PathAndQuery.Length > 300 ? PathAndQuery[..300] + $"…({PathAndQuery.Length} chars)" : PathAndQuery;
        var body = Body is null ? "" : Body.Length > 200 ? $" [{ContentType ?? "no type"}, {Body.Length} bytes]" : $" [{ContentType ?? "no type"}] {Encoding.UTF8.GetString(Body)}";
        return $"{Method} {target}{body}";
    }
}

/// <summary>
/// Generators (CsCheck) of requests for an operation of the OpenAPI document: path ids known and unknown (long,
/// unicode, encoded slashes and NULs), query values of the parameter's kind (from its name and schema type) and
/// hostile ones (year 1 and 9999, ±14 h zones, huge and negative numbers, empty, invalid percent-encoding and UTF-8,
/// very long strings), and bodies of the right shape, the wrong shape, invalid UTF-8, huge, under any media type.
/// </summary>
internal static class FuzzInputs
{
    private static readonly string[] Dates =
    [
        "0001-01-01", "0001-01-02", "9999-12-31", "9999-12-30", "2000-01-01", "2026-01-01", "2026-12-31", "2026-02-29", "2024-02-29",
        "0000-00-00", "2026-13-01", "-0001-01-01", "10000-01-01", "0001-01-01T00:00:00Z", "0001-01-01T00:00:00+14:00",
        "9999-12-31T23:59:59Z", "9999-12-31T23:59:59-14:00", "2026-11-25T18:30:00Z", "2026-11-25T18:30:00+05:45", "all", "4w", "1y",
    ];

    private static readonly string[] Zones =
    [
        "UTC", "Pacific/Kiritimati", "Etc/GMT+12", "Etc/GMT-14", "Pacific/Pago_Pago", "Asia/Kathmandu", "Australia/Lord_Howe", "America/Santiago",
        "Europe/Berlin", "Mars/Olympus_Mons", "../../../../etc/passwd", "/etc/localtime", "Europe/../UTC", "utc", "GMT+14",
    ];

    private static readonly string[] Numbers =
    [
        "0", "1", "-1", "10", "100", "101", "500", "501", "1440", "1441", "1900", "2026", "2200", "2201", "9999", "2147483647", "2147483648",
        "-2147483649", "99999999999999999999999", "1e9", "1.5", "NaN", "0x10", " 7 ", "+5", "١٢",
    ];

    private static readonly string[] Words = ["4w", "6m", "1y", "all", "plays", "time", "day", "week", "month", "hour", "2w", "ALL", "Week"];

    /// <summary>Values sent as they are: they are (or break) the percent-encoding itself.</summary>
    private static readonly string[] Raw = ["%", "%ZZ", "%F", "%FF%FE", "%C0%AF", "%ED%A0%80", "%00", "%E2%80%AE", "%2F..%2F", "a%20b", "%25", "&", "=", "+"];

    private static readonly string[] Hostile =
    [
        "", " ", "null", "[]", "{}", "<script>alert(1)</script>", "' OR 1=1 --", "ünïcödé 😀", "\u202Eevil", "a\u0000b", "\uFFFF", "🎧🎧🎧",
        new string('9', 400), new string('a', 5_000), string.Concat(Enumerable.Repeat("ü", 3_000)),
    ];

    private static readonly string[] Labels =
    [
        "Blog", "My café ☕", "🎧", "", " ", "a\u0000b", "\u202Eevil", "iso\u2066late", "tab\there", "line\nbreak", "\u0007bell", "\u0085next",
        new string('x', 60), new string('x', 61), new string('ü', 61), "\uD800lone", "<img src=x onerror=alert(1)>",
    ];

    private static readonly string?[] OtherMediaTypes =
        [null, "text/plain", "application/json; charset=iso-8859-1", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml", "*/*", "json", ""];

    private static readonly Gen<string?> MediaType = Gen.Frequency(
        (8, Gen.OneOf<string?>(["application/json", "application/json; charset=utf-8", "application/problem+json"])),
        (4, Gen.OneOf(OtherMediaTypes)));

    /// <summary>The generator of requests for <paramref name="operation"/>; <paramref name="ids"/> are path values that exist.</summary>
    public static Gen<FuzzInput> For(OpenApiOperation operation, IReadOnlyList<string> ids)
    {
        var pathIds = Gen.Frequency(
            (12, Gen.OneOf([.. ids]).Select(Escape)),
            (3, Gen.OneOf(["nobody", "1", "0", "-1", "99999999999999999999", "acc-alex", new string('x', 5_000), "ünïcödé", "😀", "a b", "..", "."]).Select(Escape)),
            // Not %00: the test server refuses to carry a NUL in the path (Kestrel answers such a request line 400 itself).
            (2, Gen.OneOf(["%2F", "%ZZ", "%FF", "%C0%80", "..%2F..%2Fetc", "%E2%80%AE"])),
            (1, Gen.String[0, 30].Select(Escape)));

        // Each parameter is given one time in four or so, so that most stats requests hold few enough bad values
        // to reach the stat itself.
        var query = operation.Parameters.Where(p => p.In == "query").Select(p => Gen.Frequency(
            (3, Gen.Const("")),
            (1, QueryValue(p).Select(v => $"{Escape(p.Name)}={v}")))).ToArray();
        var extra = Gen.Frequency(
            (8, Gen.Const("")),
            (1, Gen.OneOf(["limit=1", "from=2026-01-01", "tz=UTC"]).Select(v => v)),
            (1, Gen.OneOf(["unknown=1", "%ZZ=1", "=", "&&&", "a[]=1&a[]=2"])));

        var path = operation.Parameters.Where(p => p.In == "path").Aggregate(
            Gen.Const(operation.Path),
            (gen, parameter) => gen.SelectMany(template => pathIds.Select(id => template.Replace("{" + parameter.Name + "}", id, StringComparison.Ordinal))));

        var queries = query.Length == 0 ? Gen.Const(Array.Empty<string>()) : Sequence(query);
        if (HasRange(operation))
        {
            // A period at the calendar's edges on its own (nothing else wrong to stop it early): dates near year 1
            // and 9999, zones ±12–14 h from UTC, any bucket.
            queries = Gen.Frequency((3, queries), (1, EdgeRange(operation)));
        }

        var target = path.SelectMany(p => Gen.Select(queries, extra, (values, more) =>
        {
            var parts = values.Append(more).Where(v => v.Length > 0).ToArray();
            return parts.Length == 0 ? p : $"{p}?{string.Join('&', parts)}";
        }));

        if (operation.Body is null)
        {
            return target.Select(t => new FuzzInput(operation.Method, t, null, null));
        }

        return Gen.Select(target, Body(operation.Body), MediaType, (t, body, type) => new FuzzInput(operation.Method, t, body, type));
    }

    private static bool HasRange(OpenApiOperation operation) =>
        operation.Parameters.Any(p => p.In == "query" && p.Name.Equals("from", StringComparison.OrdinalIgnoreCase))
        && operation.Parameters.Any(p => p.In == "query" && p.Name.Equals("to", StringComparison.OrdinalIgnoreCase));

    private static Gen<string[]> EdgeRange(OpenApiOperation operation)
    {
        string Name(string name) => operation.Parameters.First(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Name;
        var optional = (string name, string[] values) => Gen.Frequency(
            (1, Gen.Const("")),
            (2, Gen.OneOf(values).Select(v => $"{Name(name)}={Escape(v)}")));
        string[] edges = ["0001-01-01", "0001-01-02", "9999-12-30", "9999-12-31", "2000-01-01", "2026-01-01", "all"];
        var parts = new List<Gen<string>> { optional("from", edges), optional("to", edges) };
        if (operation.Parameters.Any(p => p.Name.Equals("tz", StringComparison.OrdinalIgnoreCase)))
        {
            parts.Add(optional("tz", ["Pacific/Kiritimati", "Etc/GMT+12", "Etc/GMT-14", "Pacific/Pago_Pago", "UTC"]));
        }

        if (operation.Parameters.Any(p => p.Name.Equals("bucket", StringComparison.OrdinalIgnoreCase)))
        {
            parts.Add(optional("bucket", ["day", "week", "month"]));
        }

        return Sequence([.. parts]);
    }

    /// <summary>A body of the operation's shape (its properties with good and bad values), of the wrong shape, broken, or huge.</summary>
    private static Gen<byte[]> Body(IReadOnlyList<OpenApiProperty> properties)
    {
        var shaped = Sequence([.. properties.Select(p => Gen.Frequency(
            (2, Gen.Const("")),
            (6, PropertyValue(p).Select(v => $"\"{p.Name}\":{v}"))))])
            .Select(members => "{" + string.Join(',', members.Where(m => m.Length > 0)) + "}");
        return Gen.Frequency(
            (10, shaped.Select(Encoding.UTF8.GetBytes)),
            (3, Gen.OneOf(["", " ", "[]", "1", "\"x\"", "null", "true", "{", "{\"label\":", "{\"label\":\"a\"} trailing", "{'label':'a'}", "{\"label\":\"a\",}"])
                .Select(Encoding.UTF8.GetBytes)),
            (1, Gen.Int[20, 200].Select(depth => Encoding.UTF8.GetBytes(new string('[', depth) + new string(']', depth)))),
            (2, shaped.Select(s => InvalidUtf8(Encoding.UTF8.GetBytes(s)))),
            (1, Gen.OneOf([70_000, 1_000_000, 30 * 1024 * 1024]).Select(size => Encoding.UTF8.GetBytes("{\"label\":\"" + new string('a', size) + "\"}"))),
            (1, Gen.Byte.Array[0, 64]));
    }

    private static Gen<string> PropertyValue(OpenApiProperty property) => property.Type switch
    {
        "boolean" => Gen.OneOf(["true", "false", "\"true\"", "1", "0", "null", "[]", "{}"]),
        _ => Gen.Frequency(
            (6, Gen.OneOf([.. Labels, .. Zones]).Select(Json)),
            (2, Gen.OneOf(["1", "true", "null", "[]", "{}", "[\"UTC\"]", "1e400", "\"\\ud800\""])),
            (1, Gen.String[0, 80].Select(Json))),
    };

    private static Gen<string> QueryValue(OpenApiParameter parameter)
    {
        var name = parameter.Name.ToLowerInvariant();
        string[] kind = name switch
        {
            "from" or "to" => Dates,
            "tz" => Zones,
            "limit" or "gap" or "year" => Numbers,
            "range" or "by" or "bucket" => [.. Words, .. Dates.Take(4)],
            "format" => ["xml", "JSON", "csv,json", "zip", .. Words.Take(3)],
            _ => parameter.Type is "integer" or "number" ? Numbers : parameter.Type == "boolean" ? ["true", "false", "1", "yes"] : [.. Words, .. Numbers.Take(6)],
        };
        return Gen.Frequency(
            (12, Gen.OneOf([.. kind, .. parameter.Enum]).Select(Escape)),
            (3, Gen.OneOf(Hostile).Select(Escape)),
            (2, Gen.OneOf(Raw)),
            (1, Gen.OneOf(Numbers).Select(Escape)),
            (1, Gen.String[0, 40].Select(Escape)));
    }

    /// <summary>Percent-encodes the UTF-8 of a string (a lone surrogate becomes U+FFFD, as any client would send it).</summary>
    private static string Escape(string value)
    {
        var text = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            text.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~' ? c : $"%{b:X2}");
        }

        return text.ToString();
    }

    private static string Json(string value) => System.Text.Json.JsonSerializer.Serialize(value);

    private static byte[] InvalidUtf8(byte[] json)
    {
        // Invalid bytes inside the first string value (or at the end): a lone continuation byte, an overlong '/', FF.
        var at = Array.IndexOf(json, (byte)':');
        var insert = at >= 0 && at + 2 < json.Length ? at + 2 : json.Length;
        return [.. json[..insert], 0x80, 0xC0, 0xAF, 0xFF, .. json[insert..]];
    }

    private static Gen<string[]> Sequence(Gen<string>[] gens) =>
        gens.Aggregate(Gen.Const(Array.Empty<string>()), (acc, gen) => acc.SelectMany(values => gen.Select(v => (string[])[.. values, v])));
}
