namespace OrleansSpotify.Spotify.Http;

/// <summary>
/// The account a Spotify call is made for, as an ambient (async-local) value the call counter reads: set by
/// <see cref="SpotifyAuthorizedCaller"/> from <see cref="ISpotifyTokenHolder.AccountKey"/> (every listener call), by the
/// host around the sign-in calls (<see cref="SignIn"/>). A call made outside any scope is counted under <see cref="Unattributed"/>.
/// </summary>
public static class SpotifyCallScope
{
    /// <summary>The sign-in's token exchange and <c>/me</c>: no account exists yet. (Parentheses never occur in Spotify ids.)</summary>
    public const string SignIn = "(sign-in)";

    /// <summary>A call made outside any scope (none is expected: each one found is a caller to scope).</summary>
    public const string Unattributed = "(none)";

    private static readonly AsyncLocal<string?> Account = new();

    /// <summary>The account of the calls made from here, or null outside any scope.</summary>
    public static string? Current => Account.Value;

    /// <summary>Calls made until the returned scope is disposed (in this async flow) count for <paramref name="account"/>.</summary>
    public static Scope Begin(string account)
    {
        ArgumentException.ThrowIfNullOrEmpty(account);
        var previous = Account.Value;
        Account.Value = account;
        return new Scope(previous, active: true);
    }

    public readonly struct Scope : IDisposable
    {
        private readonly string? _previous;
        private readonly bool _active;

        internal Scope(string? previous, bool active)
        {
            _previous = previous;
            _active = active;
        }

        public void Dispose()
        {
            if (_active)
            {
                Account.Value = _previous;
            }
        }
    }
}
