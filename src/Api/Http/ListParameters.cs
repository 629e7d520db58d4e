using ImageCatalog.Domain.Images;
using ImageCatalog.Domain.Paging;

namespace ImageCatalog.Api.Http;

/// <summary>The query parameters that ListImageGroup and ListImage share, read with the contract's defaults.</summary>
public sealed record ListParameters(
    string? Name,
    bool NameFuzzyMatch,
    string? Namespace,
    ImageType? Type,
    string WorkspaceId,
    int Limit,
    int Offset)
{
    public static ListParameters Read(StrictQueryString query) => new(
        query.GetString("name"),
        query.GetBoolean("name_fuzzy_match", defaultValue: true),
        query.GetString("namespace"),
        query.GetEnum<ImageType>("type"),
        query.GetString("workspace_id") ?? ImageRules.DefaultWorkspaceId,
        query.GetInt32("limit", PageRules.DefaultLimit, PageRules.LimitRule),
        query.GetInt32("offset", 0, PageRules.OffsetRule));
}
