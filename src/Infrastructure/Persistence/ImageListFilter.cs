using Dapper;
using ImageCatalog.Application.Common.Validation;
using ImageCatalog.Domain.Images;

namespace ImageCatalog.Infrastructure.Persistence;

/// <summary>
/// How ListImage turns its filters into SQL (ListImageGroup has its own shapes, ADR 0009): the visibility branches take @ProjectId, @WorkspaceId,
/// @IncludeDedicated and @IncludeBuiltIn; <see cref="Conditions"/> the namespace and name; paging @Limit and @Offset.
/// </summary>
internal static class ImageListFilter
{
    public const string Conditions = """
          AND (@Namespace::text IS NULL OR namespace = @Namespace)
          AND (@ExactName::text IS NULL OR name = @ExactName)
          AND (@NamePattern::text IS NULL OR name LIKE @NamePattern)
        """;

    public static DynamicParameters Parameters(IImageListQuery query)
    {
        var parameters = new DynamicParameters();
        parameters.AddDynamicParams(new
        {
            query.ProjectId,
            query.WorkspaceId,
            IncludeDedicated = query.Type is null or ImageType.Dedicated,
            IncludeBuiltIn = query.Type is null or ImageType.BuildIn,
            query.Namespace,
            ExactName = query.NameFuzzyMatch ? null : query.Name,
            NamePattern = query.NameFuzzyMatch && query.Name is not null ? LikePattern.Containing(query.Name) : null,
            query.Limit,
            query.Offset,
        });
        return parameters;
    }
}
