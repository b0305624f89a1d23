using OrleansSpotify.Abstractions;

namespace OrleansSpotify.Grains.Tests;

/// <summary>The stats grains' answer cache is bounded by bytes (JSON size), least recently used out first.</summary>
public sealed class StatsCacheTests
{
    [Fact]
    public void TheCacheKeepsAtMostItsBudgetOfBytesAndDropsTheLeastRecentlyUsedFirst()
    {
        var oneAnswer = StatsCache.SizeOf(Timeline(1_000)) + StatsCache.EntryOverheadBytes;
        var cache = new StatsCache(budgetBytes: (oneAnswer * 3) + (oneAnswer / 2));
        var computed = 0;
        Timeline Compute() => Interlocked.Increment(ref computed) > 0 ? Timeline(1_000) : throw new InvalidOperationException();

        cache.GetOrAdd("a", Compute);
        cache.GetOrAdd("b", Compute);
        cache.GetOrAdd("c", Compute);
        Assert.Equal(3, cache.Count);
        Assert.Equal(oneAnswer * 3, cache.Bytes);

        // "a" used again, so "b" is the least recently used when "d" needs room.
        Assert.True(cache.TryGet<Timeline>("a", out _));
        cache.GetOrAdd("d", Compute);
        Assert.Equal(3, cache.Count);
        Assert.True(cache.TryGet<Timeline>("a", out _));
        Assert.False(cache.TryGet<Timeline>("b", out _));
        Assert.True(cache.TryGet<Timeline>("c", out _));
        Assert.True(cache.TryGet<Timeline>("d", out _));
        Assert.Equal(4, computed);

        // Many distinct questions never take it over budget.
        for (var i = 0; i < 100; i++)
        {
            cache.GetOrAdd(i, Compute);
            Assert.InRange(cache.Bytes, 0, (oneAnswer * 3) + (oneAnswer / 2));
        }

        // An answer larger than the whole budget is answered, not kept, and keeps what is there.
        var before = cache.Count;
        Assert.Equal(20_000, cache.GetOrAdd("huge", () => Timeline(20_000)).Points.Count);
        Assert.False(cache.TryGet<Timeline>("huge", out _));
        Assert.Equal(before, cache.Count);

        cache.Clear();
        Assert.Equal(0, cache.Count);
        Assert.Equal(0, cache.Bytes);
    }

    [Fact]
    public void TheSizeOfAnAnswerIsItsJsonSize()
    {
        var timeline = Timeline(10_000);
        Assert.Equal(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(timeline, System.Text.Json.JsonSerializerOptions.Web).LongLength, StatsCache.SizeOf(timeline));
        Assert.InRange(StatsCache.SizeOf(timeline), 300_000, 1_000_000);
    }

    [Fact]
    public void ACacheWithNoBudgetKeepsNothing()
    {
        var cache = new StatsCache(budgetBytes: 0);
        Assert.Single(cache.GetOrAdd("a", () => Timeline(1)).Points);
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void AnAnswerOfAReadThatBeganBeforeTheCacheWasClearedIsNotKept()
    {
        var cache = new StatsCache(budgetBytes: 1_000_000);
        var generation = cache.Generation;
        cache.Clear();
        Assert.Equal(generation + 1, cache.Generation);

        Assert.False(cache.Add("a", Timeline(1), generation));
        Assert.False(cache.TryGet<Timeline>("a", out _));
        Assert.Equal(0, cache.Count);

        Assert.True(cache.Add("a", Timeline(2), cache.Generation));
        Assert.True(cache.TryGet<Timeline>("a", out var kept));
        Assert.Equal(2, kept.Points.Count);

        // Added again (two reads of one question in one generation), it is counted once.
        Assert.True(cache.Add("a", Timeline(2), cache.Generation));
        Assert.Equal(1, cache.Count);
        Assert.Equal(StatsCache.SizeOf(Timeline(2)) + StatsCache.EntryOverheadBytes, cache.Bytes);
    }

    private static Timeline Timeline(int points) =>
        new(TimelineBucket.Day, [.. Enumerable.Range(0, points).Select(i => new TimelinePoint(new DateOnly(2000, 1, 1).AddDays(i), i, i * 1000L))]);
}
