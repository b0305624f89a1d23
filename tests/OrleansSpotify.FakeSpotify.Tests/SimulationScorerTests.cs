using OrleansSpotify.Benchmarks.Simulation;

namespace OrleansSpotify.FakeSpotify.Tests;

/// <summary>The simulation benchmark's scorer on small hand-made weeks.</summary>
public sealed class SimulationScorerTests
{
    private static readonly DateTimeOffset T0 = WeekGenerator.DefaultStart.AddHours(10);
    private static readonly FakeTrack A = TestData.Track(200, "A");
    private static readonly FakeTrack B = TestData.Track(180, "B") with { Id = "4iV5W9uYEdYUVa79Axb7Rh" };
    private static readonly FakeTrack C = TestData.Track(240, "C") with { Id = "1301WleyT98MSxVHPZCA6M" };

    /// <summary>A (200 s, natural end), B skipped after 8 s, C (240 s), A again in a private session.</summary>
    private static readonly List<TruePlay> Truth =
    [
        new(0, new ScriptedPlay(T0, A, TimeSpan.FromSeconds(200)), PlayKind.Music, TimeSpan.FromSeconds(200), true),
        new(0, new ScriptedPlay(T0.AddSeconds(200), B, TimeSpan.FromSeconds(8)), PlayKind.Skip, TimeSpan.FromSeconds(8), false),
        new(0, new ScriptedPlay(T0.AddSeconds(208), C, TimeSpan.FromSeconds(240)), PlayKind.Music, TimeSpan.FromSeconds(240), true),
        new(0, new ScriptedPlay(T0.AddSeconds(448), A, TimeSpan.FromSeconds(200), PrivateSession: true), PlayKind.Private, TimeSpan.FromSeconds(200), true),
    ];

    [Fact]
    public void PlaysStampedWithTheirStartOrTheirEndMatchAndAMissedSkipLowersSkipRecallOnly()
    {
        var score = Scorer.Score(Truth, [new RecordedPlay(0, A.Uri, T0.AddSeconds(3)), new RecordedPlay(0, C.Uri, T0.AddSeconds(448))], null);

        Assert.Equal((2, 2), (score.MusicFound, score.MusicTotal));
        Assert.Equal((0, 1), (score.SkipFound, score.SkipTotal));
        Assert.Equal((0, 0, 0), (score.Duplicates, score.FalsePlays, score.PrivateRecorded));
        Assert.Equal(B.Uri, Assert.Single(score.Missed).ItemUri);
    }

    [Fact]
    public void ASecondRecordOfOnePlayIsADuplicateAndARecordMatchingNothingIsAFalsePlay()
    {
        var score = Scorer.Score(Truth,
        [
            new RecordedPlay(0, A.Uri, T0.AddSeconds(200)),
            new RecordedPlay(0, A.Uri, T0.AddSeconds(205)),       // the same play again (live and recently-played)
            new RecordedPlay(0, B.Uri, T0.AddSeconds(300)),       // B long after its skip ended: no such play
            new RecordedPlay(1, C.Uri, T0.AddSeconds(448)),       // another member's: no such play
        ], null);

        Assert.Equal(1, score.Duplicates);
        Assert.Equal(2, score.FalsePlays);
        Assert.Equal(1, score.MusicFound);
    }

    [Fact]
    public void APrivatePlayRecordedIsCountedApartAndNeverInRecall()
    {
        var score = Scorer.Score(Truth, [new RecordedPlay(0, A.Uri, T0.AddSeconds(648))], null);

        Assert.Equal(1, score.PrivateRecorded);
        Assert.Equal(0, score.MusicFound);
        Assert.Equal(2, score.MusicTotal);
        Assert.DoesNotContain(score.Missed, p => p.Kind == PlayKind.Private);
    }

    [Fact]
    public void ARepeatIsTwoPlaysAndOneRecordFindsOnlyOne()
    {
        List<TruePlay> repeat =
        [
            new(0, new ScriptedPlay(T0, A, TimeSpan.FromSeconds(200)), PlayKind.Music, TimeSpan.FromSeconds(200), true),
            new(0, new ScriptedPlay(T0.AddSeconds(200), A, TimeSpan.FromSeconds(200)), PlayKind.Music, TimeSpan.FromSeconds(200), true),
        ];

        var once = Scorer.Score(repeat, [new RecordedPlay(0, A.Uri, T0.AddSeconds(200))], null);
        var twice = Scorer.Score(repeat, [new RecordedPlay(0, A.Uri, T0.AddSeconds(200)), new RecordedPlay(0, A.Uri, T0.AddSeconds(400))], null);

        Assert.Equal((1, 2, 0), (once.MusicFound, once.MusicTotal, once.Duplicates));
        Assert.Equal((2, 0), (twice.MusicFound, twice.Duplicates));
    }

    [Fact]
    public void LatencyRunsFromThePlaysStartToItsFirstSightingSplitByHowThePreviousEnded()
    {
        // B follows A's natural end and is seen 4 s in; C follows B's skip and is seen 7 s in; nothing sights B... then C.
        var score = Scorer.Score(Truth, [],
        [
            new Sighting(0, A.Uri, T0.AddSeconds(2)),
            new Sighting(0, B.Uri, T0.AddSeconds(204)),
            new Sighting(0, C.Uri, T0.AddSeconds(215)),
        ]);

        Assert.Equal([TimeSpan.FromSeconds(4)], score.EndLatencies);
        Assert.Equal([TimeSpan.FromSeconds(7)], score.SkipLatencies);
        Assert.Equal((0, 0), (score.EndUnseen, score.SkipUnseen));

        var unseen = Scorer.Score(Truth, [], [new Sighting(0, C.Uri, T0.AddSeconds(215))]);
        Assert.Equal((1, 0), (unseen.EndUnseen, unseen.SkipUnseen));
        Assert.Equal(TimeSpan.FromSeconds(7), Scorer.Quantile([TimeSpan.FromSeconds(7), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(9)], 0.5));
    }
}
