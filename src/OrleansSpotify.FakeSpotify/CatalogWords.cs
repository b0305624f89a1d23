namespace OrleansSpotify.FakeSpotify;

/// <summary>Word lists for realistic-looking generated names.</summary>
internal static class CatalogWords
{
    public static readonly string[] FirstNames =
    [
        "Nora", "Elliot", "Maya", "Jonas", "Ava", "Theo", "Lena", "Marcus", "Ines", "Kai", "Sofia", "Oskar",
        "Amara", "Felix", "Hana", "Diego", "Clara", "Ravi", "Yara", "Leon", "Mina", "Tomas", "Zoe", "Arlo",
        "Freya", "Idris", "June", "Mateo", "Sienna", "Ezra", "Lucia", "Noah", "Priya", "Silas", "Tove", "Wren",
    ];

    public static readonly string[] LastNames =
    [
        "Hart", "Lindqvist", "Okafor", "Moreau", "Tanaka", "Reyes", "Becker", "Novak", "Quinn", "Sato", "Dubois",
        "Kowalski", "Fischer", "Alvarez", "Berg", "Costa", "Mendes", "Park", "Rossi", "Vance", "Wilde", "Young",
        "Nakamura", "Holm", "Ibsen", "Laurent", "Mercer", "Olsen", "Ferreira", "Castillo",
    ];

    public static readonly string[] Adjectives =
    [
        "Velvet", "Silver", "Golden", "Electric", "Quiet", "Wild", "Neon", "Hollow", "Paper", "Crystal", "Midnight",
        "Static", "Lunar", "Solar", "Crimson", "Faded", "Northern", "Broken", "Tender", "Restless", "Sunday",
        "Glass", "Honey", "Copper", "Distant", "Blue", "Young", "Secret", "Lazy", "Burning",
    ];

    public static readonly string[] Nouns =
    [
        "Harbor", "Tigers", "Lights", "Echoes", "Machines", "Rivers", "Ghosts", "Satellites", "Wolves", "Gardens",
        "Parade", "Mirrors", "Comets", "Horses", "Sirens", "Lanterns", "Waves", "Foxes", "Cities", "Dreamers",
        "Pilots", "Oceans", "Arcade", "Signals", "Heroes", "Shadows", "Orchard", "Season", "Engines", "Birds",
    ];

    public static readonly string[] TitleWords =
    [
        "Love", "Night", "Heart", "Fire", "Rain", "Summer", "Home", "Dance", "Gold", "Stars", "Dream", "Light",
        "Road", "Ocean", "Sky", "Time", "Run", "Fall", "Youth", "Echo", "Motion", "Gravity", "Bloom", "Drive",
        "Wonder", "Fever", "Shelter", "Tides", "Paradise", "Overdrive", "Satellite", "Horizon", "Silence", "Sugar",
    ];

    public static readonly string[] TitlePatterns =
    [
        "{A} {W}", "{W}", "{W} of {W}", "{A} {N}", "Lost in the {W}", "Until the {W}", "{W} Again", "Don't Let Go",
        "All the {N}", "{W} & {W}", "Only {W}", "Say My Name", "Back to {W}", "{A} Heart", "Let It {W}", "{W} Song",
        "Under the {A} {W}", "Nothing But {W}", "Tell Me Why", "{A} Days", "Somewhere {A}", "Call It {W}",
    ];

    public static readonly string[] Genres =
    [
        "indie pop", "alternative rock", "dream pop", "synthpop", "deep house", "techno", "neo soul", "r&b", "hip hop",
        "trap", "jazz", "contemporary jazz", "classical", "modern classical", "lo-fi beats", "folk", "indie folk",
        "singer-songwriter", "dance pop", "electropop", "ambient", "post-punk", "shoegaze", "afrobeats", "reggaeton",
        "latin pop", "country", "bluegrass", "metalcore", "punk", "funk", "disco", "drum and bass", "house",
        "uk garage", "bossa nova", "soul", "blues rock", "chamber pop", "art pop", "bedroom pop", "k-pop",
    ];

    public static readonly string[] IsrcCountries = ["US", "GB", "SE", "DE", "FR", "NL", "CA", "AU", "JP", "KR", "BR", "NO"];

    public static readonly (string Name, string[] Episodes)[] Shows =
    [
        ("The Daily Signal", ["Inside the Election Night Data Room", "Why Ports Are Jammed Again", "The Heat Wave Nobody Planned For", "A Week of Strange Weather"]),
        ("Kitchen Table Science", ["How Sourdough Really Rises", "The Physics of a Perfect Espresso", "Why Onions Make You Cry", "Fermentation Without Fear"]),
        ("Long Story Short", ["The Lighthouse Keeper's Last Log", "A Heist at the Museum of Clocks", "The Town That Vanished", "Letters From the Ice"]),
        ("Build Things", ["Shipping Your First Side Project", "Databases Are Just Files", "On-Call Without Burnout", "The Art of the Small Pull Request"]),
    ];

    public static T Pick<T>(this Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];
}
