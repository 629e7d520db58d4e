using System.Text.Json;
using Dapper;
using ImageCatalog.Application.Common.Exceptions;
using ImageCatalog.Application.ImageGroups.UpdateImageGroup;
using ImageCatalog.Infrastructure.Persistence;
using Mediator;
using Npgsql;

namespace ImageCatalog.Infrastructure.ImageGroups;

/// <summary>Sets the read-me and tags of a group of the project's own; given fields replace, absent ones stay.</summary>
public sealed class UpdateImageGroupHandler(NpgsqlDataSource dataSource) : ICommandHandler<UpdateImageGroupCommand>
{
    private const string UpdateSql = """
        UPDATE image_groups
        SET read_me = CASE WHEN @SetReadMe THEN NULLIF(@ReadMe, '') ELSE read_me END,
            tags = CASE WHEN @SetTags THEN @Tags::jsonb ELSE tags END
        WHERE id = @Id;
        """;

    public async ValueTask<Unit> Handle(UpdateImageGroupCommand command, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await GroupWrites.LockWritableGroupAsync(
            connection, transaction, command.Id, command.ProjectId,
            ($"The image group '{command.Id}'", () => NotFoundException.Group(command.Id)),
            command.MayWriteBuiltIn,
            cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            UpdateSql,
            new
            {
                command.Id,
                SetReadMe = command.ReadMe is not null,
                command.ReadMe,
                SetTags = command.Tags is not null,
                Tags = command.Tags is { Count: > 0 } tags ? JsonSerializer.Serialize(tags, RowMapper.TagJson) : null,
            },
            transaction,
            cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return Unit.Value;
    }
}
