namespace OrleansSpotify.Grains;

/// <summary>
/// A stats grain's answers: loaded, computed and cached the same way for an account and for the household.
/// <para>
/// Off the turn: the source the answers come from (play logs; <paramref name="load"/>) is read once per generation,
/// and each answer is computed, both on the thread pool and awaited, as the storage grain writes plays.
/// Microsoft.Data.Sqlite is synchronous and the walks take CPU, so the grain's turn yields meanwhile: the silo's
/// scheduler threads stay free, and a (reentrant) grain still takes <see cref="Invalidate"/> and other questions while
/// an answer is computed.
/// </para>
/// <para>
/// Ordering: <see cref="Invalidate"/> (new plays) drops every answer, the source and the computations under way, and
/// starts a new cache generation. A read that began before it still answers its caller with what it computed, but
/// neither keeps that answer nor shares it with a read that began after.
/// </para>
/// <para>Every member is called on the grain's turn only (the cache and maps are not thread-safe).</para>
/// </summary>
internal sealed class StatsAnswers<TSource>(long budgetBytes, Func<Task<TSource>> load)
    where TSource : class
{
    private readonly StatsCache _cache = new(budgetBytes);
    private readonly Dictionary<object, Task> _computing = [];
    private Task<TSource>? _source;

    /// <summary>How many answers are kept.</summary>
    public int Count => _cache.Count;

    /// <summary>The cached answer to <paramref name="key"/>, or the one computed now (shared by identical questions asked meanwhile).</summary>
    public Task<T> GetAsync<T>(object key, Func<TSource, T> compute)
        where T : notnull
    {
        if (_cache.TryGet<T>(key, out var cached))
        {
            return Task.FromResult(cached);
        }

        if (_computing.TryGetValue(key, out var running))
        {
            return (Task<T>)running;
        }

        var computing = ComputeAsync(key, compute);
        if (!computing.IsCompleted)
        {
            _computing[key] = computing;
        }

        return computing;
    }

    /// <summary>New plays: every answer, the loaded source and the computations under way are of the past.</summary>
    public void Invalidate()
    {
        _source = null;
        _computing.Clear();
        _cache.Clear();
    }

    private async Task<T> ComputeAsync<T>(object key, Func<TSource, T> compute)
        where T : notnull
    {
        var generation = _cache.Generation;
        try
        {
            var source = await Source();
            var answer = await Task.Run(() => compute(source));
            _cache.Add(key, answer, generation);
            return answer;
        }
        finally
        {
            if (generation == _cache.Generation)
            {
                _computing.Remove(key);
            }
        }
    }

    private Task<TSource> Source()
    {
        if (_source is null || _source.IsFaulted || _source.IsCanceled)
        {
            _source = Task.Run(load);
        }

        return _source;
    }
}
