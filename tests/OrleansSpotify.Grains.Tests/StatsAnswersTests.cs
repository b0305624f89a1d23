namespace OrleansSpotify.Grains.Tests;

/// <summary>
/// A stats grain's answers are computed off its turn, so new plays can arrive while one is computed: what was computed
/// from before them is answered but never kept, and never handed to a question asked after them. (In a grain every call
/// runs on its turn; here each computation waits on a gate the test opens after the call returned, to keep that order.)
/// </summary>
public sealed class StatsAnswersTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task AnAnswerComputedBeforeNewPlaysIsAnsweredButNotKeptAndNotSharedWithLaterQuestions()
    {
        var loads = 0;
        var answers = new StatsAnswers<Source>(1_000_000, () => Task.FromResult(new Source(Interlocked.Increment(ref loads))));

        var before = new Gate();
        var answeredBefore = answers.GetAsync("q", before.Compute);
        await before.Started.WaitAsync(Bound, TestContext.Current.CancellationToken);

        // New plays while it computes; the same question asked after them computes afresh from a fresh load.
        answers.Invalidate();
        var after = new Gate();
        var answeredAfter = answers.GetAsync("q", after.Compute);
        Assert.NotSame(answeredBefore, answeredAfter);
        await after.Started.WaitAsync(Bound, TestContext.Current.CancellationToken);

        after.Release();
        Assert.Equal(2, (await answeredAfter.WaitAsync(Bound, TestContext.Current.CancellationToken)).Load);
        before.Release();
        Assert.Equal(1, (await answeredBefore.WaitAsync(Bound, TestContext.Current.CancellationToken)).Load);

        // Only the answer from after the new plays is kept: the next question is answered from it, not computed.
        Assert.Equal(1, answers.Count);
        Assert.Equal(2, (await answers.GetAsync<Answer>("q", _ => throw new InvalidOperationException("computed again"))).Load);
        Assert.Equal(2, loads);
    }

    [Fact]
    public async Task TheSameQuestionAskedWhileItIsComputedSharesTheComputation()
    {
        var answers = new StatsAnswers<Source>(1_000_000, () => Task.FromResult(new Source(1)));
        var gate = new Gate();
        var first = answers.GetAsync("q", gate.Compute);
        var second = answers.GetAsync<Answer>("q", _ => throw new InvalidOperationException("computed twice"));
        Assert.Same(first, second);

        await gate.Started.WaitAsync(Bound, TestContext.Current.CancellationToken);
        gate.Release();
        Assert.Equal(1, (await second.WaitAsync(Bound, TestContext.Current.CancellationToken)).Load);
        Assert.Equal(1, gate.Calls);
        Assert.Equal(1, answers.Count);
    }

    [Fact]
    public async Task ALoadThatFailedIsTriedAgainByTheNextQuestion()
    {
        var loads = 0;
        var failing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var answers = new StatsAnswers<Source>(1_000_000, async () =>
        {
            if (Interlocked.Increment(ref loads) == 1)
            {
                await failing.Task;
                throw new InvalidOperationException("database is locked");
            }

            return new Source(loads);
        });

        var first = answers.GetAsync("q", s => new Answer(s.Load));
        failing.SetResult();
        await Assert.ThrowsAsync<InvalidOperationException>(() => first.WaitAsync(Bound, TestContext.Current.CancellationToken));
        Assert.Equal(0, answers.Count);

        var gate = new Gate();
        var second = answers.GetAsync("q", gate.Compute);
        gate.Release();
        Assert.Equal(2, (await second.WaitAsync(Bound, TestContext.Current.CancellationToken)).Load);
        Assert.Equal(1, answers.Count);
    }

    private sealed record Source(int Load);

    private sealed record Answer(int Load);

    /// <summary>A computation that signals when it starts and finishes only when released.</summary>
    private sealed class Gate
    {
        private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _calls;

        public Task Started => _started.Task;

        public int Calls => Volatile.Read(ref _calls);

        public Answer Compute(Source source)
        {
            Interlocked.Increment(ref _calls);
            _started.TrySetResult();
            _release.Task.Wait(Bound);
            return new Answer(source.Load);
        }

        public void Release() => _release.TrySetResult();
    }
}
