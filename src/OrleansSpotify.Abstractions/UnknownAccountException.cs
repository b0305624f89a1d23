namespace OrleansSpotify.Abstractions;

/// <summary>Plays were offered for an account that is not a household account. Crosses grain boundaries.</summary>
[GenerateSerializer]
[Alias("OrleansSpotify.UnknownAccountException")]
public sealed class UnknownAccountException : Exception
{
    public UnknownAccountException(string accountKey)
        : base($"Account '{accountKey}' does not exist; plays are recorded only for household accounts.")
    {
        AccountKey = accountKey;
    }

    [Id(0)]
    public string AccountKey { get; private set; }
}
