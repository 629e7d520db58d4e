namespace ImageCatalog.Infrastructure.Persistence;

/// <summary>LIKE patterns that match their text literally: <c>_</c>, <c>%</c> and <c>\</c> match only themselves.</summary>
public static class LikePattern
{
    public static string Containing(string text) => "%" + Escape(text) + "%";

    // Backslash is PostgreSQL's default LIKE escape character.
    public static string Escape(string text) =>
        text.Replace(@"\", @"\\", StringComparison.Ordinal)
            .Replace("%", @"\%", StringComparison.Ordinal)
            .Replace("_", @"\_", StringComparison.Ordinal);
}
