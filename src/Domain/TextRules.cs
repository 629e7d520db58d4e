namespace ImageCatalog.Domain;

/// <summary>What free text (descriptions, read-mes, tags) may hold beyond its length limits.</summary>
public static class TextRules
{
    public const string StorableRule = "must not contain the NUL character (U+0000)";

    /// <summary>PostgreSQL's text cannot hold U+0000: JSON can carry it (<c>\u0000</c>), the database would refuse it.</summary>
    public static bool IsStorable(string? text) => text is null || !text.Contains('\0', StringComparison.Ordinal);
}
