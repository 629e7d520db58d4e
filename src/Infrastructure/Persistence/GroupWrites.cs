using Dapper;
using ImageCatalog.Application.Common.Exceptions;
using Npgsql;

namespace ImageCatalog.Infrastructure.Persistence;

/// <summary>
/// The steps every write that removes versions shares. Writers lock the group row before they touch its images
/// (RegisterImage does so through its upsert), so there is one lock order and no deadlock.
/// </summary>
internal static class GroupWrites
{
    private const string LockGroupSql = """
        SELECT project_id IS NULL AS BuiltIn
        FROM image_groups
        WHERE id = @GroupId AND (project_id = @ProjectId OR project_id IS NULL)
        FOR UPDATE;
        """;

    // Recomputes the group from the versions left; the last one gone takes the group with it.
    private const string RefreshGroupSql = """
        WITH remaining AS (
            SELECT count(*)::int AS version_count, min(create_at) AS create_at, max(update_at) AS update_at
            FROM images WHERE group_id = @GroupId
        ), refreshed AS (
            UPDATE image_groups AS g
            SET version_count = r.version_count, create_at = r.create_at, update_at = r.update_at
            FROM remaining AS r
            WHERE g.id = @GroupId AND r.version_count > 0
            RETURNING g.id
        )
        DELETE FROM image_groups
        WHERE id = @GroupId AND NOT EXISTS (SELECT 1 FROM refreshed);
        """;

    /// <summary>
    /// Locks a group the project can see. <paramref name="target"/> is what the caller acts on (the group, or an
    /// image of it): a built-in one is forbidden unless <paramref name="mayWriteBuiltIn"/>, one the project cannot
    /// see is not found.
    /// </summary>
    public static async Task LockWritableGroupAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        Guid groupId,
        string projectId,
        (string Description, Func<Exception> NotFound) target,
        bool mayWriteBuiltIn,
        CancellationToken cancellationToken)
    {
        var builtIn = await connection.QuerySingleOrDefaultAsync<bool?>(new CommandDefinition(
            LockGroupSql, new { GroupId = groupId, ProjectId = projectId }, transaction, cancellationToken: cancellationToken));
        if (builtIn is null)
        {
            throw target.NotFound();
        }

        if (builtIn.Value && !mayWriteBuiltIn)
        {
            throw ForbiddenException.BuiltIn(target.Description);
        }
    }

    public static Task RefreshAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid groupId, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            RefreshGroupSql, new { GroupId = groupId }, transaction, cancellationToken: cancellationToken));
}
