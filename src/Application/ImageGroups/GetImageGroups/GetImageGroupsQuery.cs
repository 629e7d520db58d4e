using ImageCatalog.Application.Common;
using ImageCatalog.Application.Common.Validation;
using ImageCatalog.Application.ImageGroups.UpdateImageGroup;
using ImageCatalog.Domain.Images;
using ImageCatalog.Domain.Paging;
using Mediator;

namespace ImageCatalog.Application.ImageGroups.GetImageGroups;

/// <summary>
/// ListImageGroup: the project's images aggregated by (namespace, name), CONTRACT.md section 1.
/// A null <c>Type</c> means both types.
/// </summary>
public sealed record GetImageGroupsQuery(
    string ProjectId,
    string? Name = null,
    bool NameFuzzyMatch = true,
    string? Namespace = null,
    ImageType? Type = null,
    string WorkspaceId = ImageRules.DefaultWorkspaceId,
    int Limit = PageRules.DefaultLimit,
    int Offset = 0) : IQuery<ImageGroupPage>, IImageListQuery
{
    public ReadConsistency Consistency { get; init; }
}

public sealed class GetImageGroupsQueryValidator : ImageListQueryValidator<GetImageGroupsQuery>;

/// <summary>One page of groups. <c>Current</c> and <c>Pages</c> follow from the row offset and the limit.</summary>
public sealed record ImageGroupPage(int Current, int Pages, int Size, long Total, IReadOnlyList<ImageGroupDto> Data)
{
    public static ImageGroupPage Create(GetImageGroupsQuery query, long total, IReadOnlyList<ImageGroupDto> data) =>
        new(
            PageRules.CurrentPage(query.Offset, query.Limit),
            PageRules.PageCount(total, query.Limit),
            data.Count,
            total,
            data);
}

/// <summary>
/// All versions visible to the caller that share (namespace, name) and one type: earliest create time,
/// latest update time and the number of versions. Times are UTC milliseconds. Read-me and tags are
/// null until UpdateImageGroup sets them.
/// </summary>
public sealed record ImageGroupDto(
    Guid Id,
    string Name,
    string Namespace,
    long CreateAt,
    long UpdateAt,
    int VersionCount,
    string? ReadMe,
    IReadOnlyList<GroupTag>? Tags);
