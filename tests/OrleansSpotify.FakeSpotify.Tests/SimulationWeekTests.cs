using OrleansSpotify.Benchmarks.Simulation;

namespace OrleansSpotify.FakeSpotify.Tests;

/// <summary>The simulation benchmark's generated week: deterministic, and its ground truth consistent.</summary>
public sealed class SimulationWeekTests
{
    private static readonly SimulatedWeek Week = WeekGenerator.Generate(11, 7);

    [Fact]
    public void TheSameSeedGivesTheSameWeekAndAnotherSeedAnother()
    {
        static IEnumerable<string> Shape(SimulatedWeek week) => week.Plays.Select(p =>
            $"{p.Member} {p.Start:O} {p.ItemUri} {p.Script.Played} {p.Kind} {p.Script.VisibleFrom:O} {p.Script.Seeks.Count} {p.Script.Pauses.Count} {p.LostInGap}");

        Assert.Equal(Shape(Week), Shape(WeekGenerator.Generate(11, 7)));
        Assert.NotEqual(Shape(Week), Shape(WeekGenerator.Generate(12, 7)));
    }

    [Fact]
    public void NoMemberPlaysTwoThingsAtOnceAndEveryKindIsThere()
    {
        foreach (var member in Week.Plays.GroupBy(p => p.Member))
        {
            var plays = member.OrderBy(p => p.Start).ToList();
            Assert.All(plays.Zip(plays.Skip(1)), pair => Assert.True(pair.First.End <= pair.Second.Start, $"{pair.First.End:O} > {pair.Second.Start:O}"));
        }

        Assert.All(Week.Plays, p => Assert.True(p.MsPlayed <= p.Script.Played && p.MsPlayed > TimeSpan.Zero));
        Assert.All(Week.Plays.Where(p => p.Kind is PlayKind.Music or PlayKind.Skip), p =>
            Assert.Equal(p.MsPlayed >= TimeSpan.FromSeconds(30) ? PlayKind.Music : PlayKind.Skip, p.Kind));
        Assert.All(Week.Plays.Where(p => p.Kind == PlayKind.Private), p => Assert.True(p.Script.PrivateSession && !p.Listable && p.Unreachable));
        Assert.All(Week.Plays.Where(p => p.Kind is PlayKind.Episode or PlayKind.Local), p => Assert.False(p.Listable));
        foreach (var kind in Enum.GetValues<PlayKind>())
        {
            Assert.True(Week.Plays.Any(p => p.Kind == kind), kind.ToString());
        }

        Assert.True(Week.Plays.Any(p => p.Script.Pauses.Any(pause => pause.At + TimeSpan.FromSeconds(20) > p.Script.Item.Duration)), "a pause over a track's end");
        Assert.True(Week.Plays.Any(p => p.Script.Seeks.Any(s => s.To < s.At)), "a seek back");
        Assert.True(Week.Plays.Any(p => p.Script.Seeks.Any(s => s.To > s.At)), "a seek forward");
        Assert.True(Week.Plays.Any(p => Week.Plays.Any(q => q.Member == p.Member && q.Start == p.End && q.ItemUri == p.ItemUri)), "a repeat");
        Assert.True(Week.Plays.Any(p => p.Kind == PlayKind.Skip && p.MsPlayed < TimeSpan.FromSeconds(5)), "a skip in the first seconds");
        Assert.True(Week.Plays.Any(p => p.Kind == PlayKind.Skip && p.MsPlayed > TimeSpan.FromSeconds(15)), "a later skip");
    }

    [Fact]
    public void MembersListenAboutThreeToFourHoursADayVariedByDayAndMember()
    {
        var hours = Week.Plays.GroupBy(p => p.Member).Select(g => g.Sum(p => p.MsPlayed.TotalHours) / Week.Days).ToList();

        Assert.Equal(WeekGenerator.MemberCount, hours.Count);
        Assert.InRange(hours.Average(), 2.8, 4.5);
        Assert.True(hours.Max() - hours.Min() > 0.5, string.Join(", ", hours));
    }

    [Fact]
    public void OfflinePlaysAreBackfilledBehindPlaysAlreadyVisible()
    {
        var offline = Week.Plays.Where(p => p.Offline && p.Listable).ToList();

        Assert.NotEmpty(offline);
        Assert.All(offline, p =>
        {
            Assert.True(p.VisibleAt > p.End);

            // When it shows up, recently-played already lists a newer play of the member: a reader that only asks for
            // plays after the newest it has seen never gets it.
            Assert.True(
                Week.Plays.Any(q => q.Member == p.Member && q.Listable && !q.Offline && q.End > p.End && q.VisibleAt < p.VisibleAt),
                $"nothing newer visible before the play of {p.Member} ending {p.End:O} shows up at {p.VisibleAt:O}");
        });
    }

    [Fact]
    public void TheFlightPilesUpMoreThanFiftyPlaysAndLosesTheOldestInOneRealGap()
    {
        var flight = Week.Plays.Where(p => p.Member == WeekGenerator.FlyingMember && p.Offline && p.Listable)
            .GroupBy(p => p.VisibleAt).MaxBy(g => g.Count())!.ToList();
        var lost = Week.Plays.Where(p => p.LostInGap).ToList();

        Assert.True(flight.Count > 50, $"{flight.Count} plays");
        var gap = Assert.Single(Week.Gaps);
        Assert.Equal(lost.Count, gap.LostPlays);
        Assert.All(lost, p => Assert.Contains(p, flight));
        Assert.Equal(flight.OrderBy(p => p.End).Take(lost.Count), lost.OrderBy(p => p.End));
        Assert.Equal(lost.Min(p => p.End), gap.From);
        Assert.Equal(lost.Max(p => p.End), gap.To);
    }

    [Fact]
    public void TwoOutagesOfAnHourAndEveryPlayEndsBeforeTheRunDoes()
    {
        Assert.Equal(2, Week.Outages.Count);
        Assert.All(Week.Outages, o => Assert.Equal(TimeSpan.FromHours(1), o.To - o.From));
        Assert.All(Week.Plays, p => Assert.True(p.VisibleAt <= Week.End - WeekGenerator.Tail));

        var smoke = WeekGenerator.Generate(11, 1);
        Assert.Equal(2, smoke.Outages.Count);
        Assert.NotEmpty(smoke.Gaps);
    }

    [Fact]
    public void APlayIsLostOnlyWhenNoReadOutsideAnOutageCouldSeeIt()
    {
        var t0 = WeekGenerator.DefaultStart;
        var track = TestData.Track(100);
        TruePlay Play(int i, DateTimeOffset? visibleFrom) =>
            new(0, new ScriptedPlay(t0.AddMinutes(2 * i), track, TimeSpan.FromSeconds(100), VisibleFrom: visibleFrom) { Offline = visibleFrom is not null }, PlayKind.Music, TimeSpan.FromSeconds(100), true);

        // 55 offline plays shown at once: the 5 oldest never make the 50 newest.
        var back = t0.AddHours(3);
        var offline = Enumerable.Range(0, 55).Select(i => Play(i, back)).ToList();
        var gaps = WeekGenerator.MarkLost(0, offline, [], t0.AddDays(1));
        Assert.Equal(5, Assert.Single(gaps).LostPlays);
        Assert.Equal(offline.Take(5), offline.Where(p => p.LostInGap));

        // 55 online plays, each visible at its end: every one was among the 50 newest when it ended.
        var online = Enumerable.Range(0, 55).Select(i => Play(i, null)).ToList();
        Assert.Empty(WeekGenerator.MarkLost(0, online, [], t0.AddDays(1)));

        // The same plays during an outage that lasts past all of them: only the 50 newest are there when it ends.
        var outage = new Outage(t0, t0.AddHours(3));
        var during = Enumerable.Range(0, 55).Select(i => Play(i, null)).ToList();
        Assert.Equal(5, Assert.Single(WeekGenerator.MarkLost(0, during, [outage], t0.AddDays(1))).LostPlays);
    }
}
