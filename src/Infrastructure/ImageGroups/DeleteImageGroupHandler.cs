using Dapper;
using ImageCatalog.Application.Common.Exceptions;
using ImageCatalog.Application.ImageGroups.DeleteImageGroup;
using ImageCatalog.Infrastructure.Persistence;
using Mediator;
using Npgsql;

namespace ImageCatalog.Infrastructure.ImageGroups;

/// <summary>Removes every version of a group of the project's own, and the group, with the group row locked first.</summary>
public sealed class DeleteImageGroupHandler(NpgsqlDataSource dataSource) : ICommandHandler<DeleteImageGroupCommand>
{
    private const string DeleteSql = """
        DELETE FROM images WHERE group_id = @Id;
        DELETE FROM image_groups WHERE id = @Id;
        """;

    public async ValueTask<Unit> Handle(DeleteImageGroupCommand command, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await GroupWrites.LockWritableGroupAsync(
            connection, transaction, command.Id, command.ProjectId,
            ($"The image group '{command.Id}'", () => NotFoundException.Group(command.Id)),
            command.MayWriteBuiltIn,
            cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(DeleteSql, new { command.Id }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return Unit.Value;
    }
}
