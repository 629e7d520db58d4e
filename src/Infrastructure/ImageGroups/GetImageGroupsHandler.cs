using Dapper;
using ImageCatalog.Application.ImageGroups.GetImageGroups;
using ImageCatalog.Infrastructure.Persistence;
using Mediator;
using Npgsql;

namespace ImageCatalog.Infrastructure.ImageGroups;

/// <summary>
/// Reads the image_groups read model, which every write keeps exact, so a page never aggregates images.
/// The visible groups are two branches (the project's dedicated groups in one workspace, and the built-in
/// ones) that each walk their page-order index; a merge of the two gives the page.
/// </summary>
public sealed class GetImageGroupsHandler(NpgsqlDataSource dataSource) : IQueryHandler<GetImageGroupsQuery, ImageGroupPage>
{
    // Statements are not prepared, so PostgreSQL plans each with its parameter values and folds away
    // the filters whose parameter is null.
    internal const string FilteredGroups = $"""
        SELECT id, namespace, name, create_at, update_at, version_count, read_me, tags
        FROM image_groups
        WHERE project_id = @ProjectId AND workspace_id = @WorkspaceId AND @IncludeDedicated
        {ImageListFilter.Conditions}
        UNION ALL
        SELECT id, namespace, name, create_at, update_at, version_count, read_me, tags
        FROM image_groups
        WHERE project_id IS NULL AND @IncludeBuiltIn
        {ImageListFilter.Conditions}
        """;

    internal const string PageSql = $"""
        SELECT id AS Id, name AS Name, namespace AS Namespace, create_at AS CreateAt, update_at AS UpdateAt,
               version_count AS VersionCount, read_me AS ReadMe, tags::text AS Tags
        FROM ({FilteredGroups}) AS visible
        ORDER BY update_at DESC, namespace, name, id
        LIMIT @Limit OFFSET @Offset;

        SELECT count(*) FROM ({FilteredGroups}) AS visible;
        """;

    public async ValueTask<ImageGroupPage> Handle(GetImageGroupsQuery query, CancellationToken cancellationToken)
    {
        var arguments = ImageListFilter.Parameters(query);

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var results = await connection.QueryMultipleAsync(
            new CommandDefinition(PageSql, arguments, cancellationToken: cancellationToken));
        var rows = (await results.ReadAsync<ImageGroupRow>()).Select(row => row.ToDto()).ToList();
        var total = await results.ReadSingleAsync<long>();
        return ImageGroupPage.Create(query, total, rows);
    }
}
