using Dapper;
using ImageCatalog.Application.Images.ListImages;
using ImageCatalog.Domain;
using ImageCatalog.Domain.Images;
using ImageCatalog.Infrastructure.Persistence;
using Mediator;

namespace ImageCatalog.Infrastructure.Images;

/// <summary>
/// Lists the visible image versions. The ORDER BY is composed only from the fixed column names below, so the
/// statement shapes are bounded (ordered subsets of five keys, two directions); id ends every order, which
/// makes pages disjoint even where times tie.
/// </summary>
public sealed class ListImagesHandler(QueryConnections connections) : IQueryHandler<ListImagesQuery, ImagePage>
{
    private const string Filters = $"""
        {ImageListFilter.Conditions}
          AND (@ServiceType::text IS NULL OR service_type = @ServiceType)
        """;

    private const string VisibleImages = $"""
        SELECT * FROM images
        WHERE project_id = @ProjectId AND workspace_id = @WorkspaceId AND @IncludeDedicated
        {Filters}
        UNION ALL
        SELECT * FROM images
        WHERE project_id IS NULL AND @IncludeBuiltIn
        {Filters}
        """;

    private const string OrderByPlaceholder = "/* order by */";

    private const string PageSql = $"""
        SELECT {ImageColumns.Select}
        FROM ({VisibleImages}) AS visible
        ORDER BY {OrderByPlaceholder}
        LIMIT @Limit OFFSET @Offset;

        SELECT count(*) FROM ({VisibleImages}) AS visible;
        """;

    private static readonly Dictionary<ImageSortKey, string> SortColumns = new()
    {
        [ImageSortKey.CreateAt] = "create_at",
        [ImageSortKey.UpdateAt] = "update_at",
        [ImageSortKey.Name] = "name",
        [ImageSortKey.Namespace] = "namespace",
        [ImageSortKey.Tag] = "tag",
    };

    public async ValueTask<ImagePage> Handle(ListImagesQuery query, CancellationToken cancellationToken)
    {
        ImageSortKeys.TryParse(query.SortKey, out var keys, out _);
        var direction = query.SortDir == SortDirection.Asc ? "ASC" : "DESC";
        var orderBy = string.Join(", ", keys!.Select(key => $"{SortColumns[key]} {direction}").Append($"id {direction}"));
        var sql = PageSql.Replace(OrderByPlaceholder, orderBy, StringComparison.Ordinal);
        var arguments = ImageListFilter.Parameters(query);
        arguments.Add("ServiceType", query.ServiceType is { } serviceType ? WireNames<ImageServiceType>.Of(serviceType) : null);

        await using var connection = await connections.OpenAsync(query.Consistency, cancellationToken);
        await using var results = await connection.QueryMultipleAsync(
            new CommandDefinition(sql, arguments, cancellationToken: cancellationToken));
        var rows = (await results.ReadAsync<ImageRow>()).Select(row => row.ToDto()).ToList();
        var total = await results.ReadSingleAsync<long>();
        return ImagePage.Create(query, total, rows);
    }
}
