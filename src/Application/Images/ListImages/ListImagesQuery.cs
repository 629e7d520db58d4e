using ImageCatalog.Application.Common;
using ImageCatalog.Application.Common.Validation;
using ImageCatalog.Domain.Images;
using ImageCatalog.Domain.Paging;
using Mediator;

namespace ImageCatalog.Application.Images.ListImages;

/// <summary>
/// ListImage: the image versions visible to the project, with the groups' filters plus <c>service_type</c>,
/// sorted by <see cref="SortKey"/> (see <see cref="ImageSortKeys"/>) and then by id, so pages never overlap.
/// </summary>
public sealed record ListImagesQuery(
    string ProjectId,
    string? Name = null,
    bool NameFuzzyMatch = true,
    string? Namespace = null,
    ImageType? Type = null,
    string WorkspaceId = ImageRules.DefaultWorkspaceId,
    ImageServiceType? ServiceType = null,
    string? SortKey = null,
    SortDirection SortDir = SortDirection.Desc,
    int Limit = PageRules.DefaultLimit,
    int Offset = 0) : IQuery<ImagePage>, IImageListQuery
{
    public ReadConsistency Consistency { get; init; }
}

public sealed class ListImagesQueryValidator : ImageListQueryValidator<ListImagesQuery>
{
    public ListImagesQueryValidator()
    {
        RuleFor(query => query.SortKey).SortKeys();
    }
}

public sealed record ImagePage(int Current, int Pages, int Size, long Total, IReadOnlyList<ImageDto> Data)
{
    public static ImagePage Create(ListImagesQuery query, long total, IReadOnlyList<ImageDto> data) =>
        new(PageRules.CurrentPage(query.Offset, query.Limit), PageRules.PageCount(total, query.Limit), data.Count, total, data);
}
