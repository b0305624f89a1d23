namespace OrleansSpotify.Grains;

/// <summary>
/// Answers cached per question inside a stats grain. Only new plays clear it (never a timer); it is bounded so a
/// stream of distinct questions cannot grow it without limit.
/// </summary>
internal sealed class StatsCache(int capacity = 512)
{
    private readonly Dictionary<object, object> _answers = [];

    public int Count => _answers.Count;

    public bool TryGet<T>(object key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out T answer)
        where T : notnull
    {
        var found = _answers.TryGetValue(key, out var cached);
        answer = found ? (T)cached! : default;
        return found;
    }

    public T GetOrAdd<T>(object key, Func<T> compute)
        where T : notnull
    {
        if (_answers.TryGetValue(key, out var cached))
        {
            return (T)cached;
        }

        var answer = compute();
        if (_answers.Count >= capacity)
        {
            _answers.Clear();
        }

        _answers[key] = answer;
        return answer;
    }

    public void Clear() => _answers.Clear();
}
