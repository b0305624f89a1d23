namespace OrleansSpotify.FakeSpotify;

/// <summary>Failures the fake injects: queued one-off faults, an app-wide rate-limit window and intermittent 204s.</summary>
public sealed class FakeFaults
{
    private readonly FakeSpotifyState _state;
    private readonly List<QueuedFault> _queue = [];
    private Random _random = new(DefaultSeed);
    private double _intermittent204Rate;
    private bool _intermittent204OnPlayer;
    private bool _penaltyOnRepeat;
    private RateLimitWindow? _window;

    private const int DefaultSeed = 2026;

    internal FakeFaults(FakeSpotifyState state) => _state = state;

    /// <summary>
    /// While a <see cref="RateLimitFor"/> window is open, every further request after the first one answered 429
    /// pushes the window's end out by its original length (Spotify's rising penalty for clients that keep calling).
    /// </summary>
    public bool PenaltyOnRepeat
    {
        get
        {
            lock (_state.Gate)
            {
                return _penaltyOnRepeat;
            }
        }
        set
        {
            lock (_state.Gate)
            {
                _penaltyOnRepeat = value;
            }
        }
    }

    /// <summary>0..1: the chance that currently-playing answers 204 although something plays (seeded, deterministic).</summary>
    public double Intermittent204Rate
    {
        get
        {
            lock (_state.Gate)
            {
                return _intermittent204Rate;
            }
        }
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 0);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 1);
            lock (_state.Gate)
            {
                _intermittent204Rate = value;
            }
        }
    }

    /// <summary>The next <paramref name="times"/> requests to <paramref name="endpoint"/> get <paramref name="fault"/> (FIFO).</summary>
    public void Enqueue(FakeEndpoint endpoint, FakeFault fault, int times = 1)
    {
        var retryAfter = fault == FakeFault.RateLimited429 ? TimeSpan.FromSeconds(1) : (TimeSpan?)null;
        EnqueueCore(endpoint, fault, retryAfter, times);
    }

    /// <summary>Queues 429s with a chosen <c>Retry-After</c> (null: no header), plain or <c>QUOTA_EXCEEDED</c>.</summary>
    public void EnqueueRateLimit(FakeEndpoint endpoint, TimeSpan? retryAfter, bool quota = false, int times = 1) =>
        EnqueueCore(endpoint, quota ? FakeFault.QuotaExceeded429 : FakeFault.RateLimited429, retryAfter, times);

    /// <summary>
    /// From now on every Web API request, whoever's token it carries (the limit is per app), answers 429 until
    /// now + <paramref name="retryAfter"/>. <paramref name="quota"/> answers <c>QUOTA_EXCEEDED</c> instead of
    /// "API rate limit exceeded"; <paramref name="sendRetryAfter"/> controls the <c>Retry-After</c> header.
    /// </summary>
    public void RateLimitFor(TimeSpan retryAfter, bool quota = false, bool sendRetryAfter = true)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(retryAfter, TimeSpan.Zero);
        lock (_state.Gate)
        {
            _window = new RateLimitWindow(_state.Now + retryAfter, retryAfter, quota, sendRetryAfter);
        }
    }

    /// <summary>
    /// Whether <see cref="Intermittent204Rate"/> hits <c>GET /me/player</c> too (SPOTIFY.md §9.1: intermittent 204s on
    /// both player endpoints); off by default, where only currently-playing gets them. Reset by <see cref="Clear"/>.
    /// </summary>
    public bool Intermittent204OnPlayer
    {
        get
        {
            lock (_state.Gate)
            {
                return _intermittent204OnPlayer;
            }
        }
        set
        {
            lock (_state.Gate)
            {
                _intermittent204OnPlayer = value;
            }
        }
    }

    /// <summary>Reseeds the generator behind <see cref="Intermittent204Rate"/>.</summary>
    public void SetRandomSeed(int seed)
    {
        lock (_state.Gate)
        {
            _random = new Random(seed);
        }
    }

    /// <summary>Drops queued faults and the rate-limit window, and resets every setting to its default.</summary>
    public void Clear()
    {
        lock (_state.Gate)
        {
            _queue.Clear();
            _window = null;
            _penaltyOnRepeat = false;
            _intermittent204Rate = 0;
            _intermittent204OnPlayer = false;
            _random = new Random(DefaultSeed);
        }
    }

    /// <summary>Takes the first queued fault that matches and applies to <paramref name="endpoint"/>.</summary>
    internal QueuedFault? TryDequeue(FakeEndpoint endpoint)
    {
        lock (_state.Gate)
        {
            for (var i = 0; i < _queue.Count; i++)
            {
                var queued = _queue[i];
                if ((queued.Endpoint == FakeEndpoint.Any || queued.Endpoint == endpoint) && AppliesTo(queued.Fault, endpoint))
                {
                    queued.Remaining--;
                    if (queued.Remaining == 0)
                    {
                        _queue.RemoveAt(i);
                    }

                    return queued;
                }
            }

            return null;
        }
    }

    /// <summary>The 429 to send when the rate-limit window is open at <paramref name="now"/>; null otherwise.</summary>
    internal RateLimitAnswer? CheckRateLimit(DateTimeOffset now)
    {
        lock (_state.Gate)
        {
            if (_window is not { } window || now >= window.Until)
            {
                _window = null;
                return null;
            }

            if (_penaltyOnRepeat && window.Hits > 0)
            {
                window.Until += window.Length;
            }

            window.Hits++;
            var retryAfter = window.SendRetryAfter ? window.Until - now : (TimeSpan?)null;
            return new RateLimitAnswer(window.Quota, retryAfter);
        }
    }

    internal bool NextIntermittent204()
    {
        lock (_state.Gate)
        {
            return _intermittent204Rate > 0 && _random.NextDouble() < _intermittent204Rate;
        }
    }

    private void EnqueueCore(FakeEndpoint endpoint, FakeFault fault, TimeSpan? retryAfter, int times)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(times, 1);
        lock (_state.Gate)
        {
            _queue.Add(new QueuedFault(endpoint, fault, retryAfter) { Remaining = times });
        }
    }

    private static bool AppliesTo(FakeFault fault, FakeEndpoint endpoint) => fault switch
    {
        FakeFault.InvalidGrant => endpoint == FakeEndpoint.Token,
        FakeFault.NullProgress or FakeFault.UnknownItemType =>
            endpoint is FakeEndpoint.CurrentlyPlaying or FakeEndpoint.Player,
        FakeFault.Unauthorized401Expired or FakeFault.Unauthorized401Spurious
            or FakeFault.Forbidden403NotAllowlisted or FakeFault.Forbidden403OwnerNotPremium =>
            endpoint != FakeEndpoint.Token,
        _ => true,
    };

    private sealed class RateLimitWindow(DateTimeOffset until, TimeSpan length, bool quota, bool sendRetryAfter)
    {
        public DateTimeOffset Until { get; set; } = until;

        public TimeSpan Length { get; } = length;

        public bool Quota { get; } = quota;

        public bool SendRetryAfter { get; } = sendRetryAfter;

        public int Hits { get; set; }
    }
}

internal sealed record QueuedFault(FakeEndpoint Endpoint, FakeFault Fault, TimeSpan? RetryAfter)
{
    public int Remaining { get; set; }
}

internal sealed record RateLimitAnswer(bool Quota, TimeSpan? RetryAfter);
