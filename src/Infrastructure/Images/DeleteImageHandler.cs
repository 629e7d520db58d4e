using Dapper;
using ImageCatalog.Application.Common.Exceptions;
using ImageCatalog.Application.Images;
using ImageCatalog.Application.Images.DeleteImage;
using ImageCatalog.Infrastructure.Persistence;
using Mediator;
using Npgsql;

namespace ImageCatalog.Infrastructure.Images;

/// <summary>Deletes a version and refreshes its group, in one transaction, with the group row locked first.</summary>
public sealed class DeleteImageHandler(NpgsqlDataSource dataSource) : ICommandHandler<DeleteImageCommand, ImageDto>
{
    private const string FindGroupSql = """
        SELECT group_id FROM images WHERE id = @Id AND (project_id = @ProjectId OR project_id IS NULL);
        """;

    private const string DeleteSql = $"""
        DELETE FROM images WHERE id = @Id AND group_id = @GroupId
        RETURNING {ImageColumns.Select};
        """;

    public async ValueTask<ImageDto> Handle(DeleteImageCommand command, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var groupId = await connection.QuerySingleOrDefaultAsync<Guid?>(new CommandDefinition(
            FindGroupSql, new { command.Id, command.ProjectId }, transaction, cancellationToken: cancellationToken))
            ?? throw NotFoundException.Image(command.Id);

        await GroupWrites.LockWritableGroupAsync(
            connection, transaction, groupId, command.ProjectId,
            ($"The image '{command.Id}'", () => NotFoundException.Image(command.Id)),
            command.MayWriteBuiltIn,
            cancellationToken);
        // Null when a concurrent delete took the image while this one waited for the group.
        var deleted = await connection.QuerySingleOrDefaultAsync<ImageRow>(new CommandDefinition(
            DeleteSql, new { command.Id, GroupId = groupId }, transaction, cancellationToken: cancellationToken))
            ?? throw NotFoundException.Image(command.Id);
        await GroupWrites.RefreshAsync(connection, transaction, groupId, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return deleted.ToDeletedDto();
    }
}
