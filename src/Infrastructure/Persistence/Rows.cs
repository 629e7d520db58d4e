namespace ImageCatalog.Infrastructure.Persistence;

/// <summary>An image_groups row as the list query selects it; column aliases match these names. Tags is jsonb text.</summary>
public sealed record ImageGroupRow(
    Guid Id,
    string Name,
    string Namespace,
    DateTime CreateAt,
    DateTime UpdateAt,
    int VersionCount,
    string? ReadMe,
    string? Tags);

/// <summary>
/// An images row; enum columns hold the contract's spellings (see WireNames). A class with setters rather
/// than a positional record, because Dapper reports array columns as System.Array and matches constructors exactly.
/// </summary>
public sealed class ImageRow
{
    public required Guid Id { get; init; }
    public required string Name { get; init; }
    public required string Namespace { get; init; }
    public required string Tag { get; init; }
    public required string SwrPath { get; init; }
    public required string Type { get; init; }
    public required string Status { get; init; }
    public required DateTime CreateAt { get; init; }
    public required DateTime UpdateAt { get; init; }
    public required string WorkspaceId { get; init; }
    public required string Visibility { get; init; }
    public required string Arch { get; init; }
    public required string Origin { get; init; }
    public required string ServiceType { get; init; }
    public required string[] ResourceCategories { get; init; }
    public required string[] DevServices { get; init; }
    public required string[] Tags { get; init; }
    public string? Description { get; init; }
    public string? ReadMe { get; init; }
    public long? Size { get; init; }
}
