using System.Security.Cryptography;
using System.Text.Json;
using Dapper;
using ImageCatalog.Application.Common.Exceptions;
using ImageCatalog.Application.Images;
using ImageCatalog.Application.Images.RegisterImage;
using ImageCatalog.Domain;
using ImageCatalog.Domain.Images;
using ImageCatalog.Infrastructure.Persistence;
using Mediator;
using Npgsql;

namespace ImageCatalog.Infrastructure.Images;

/// <summary>
/// Inserts the image and folds it into its group in one statement, and so in one transaction and one round trip.
/// The group upsert runs first (the image insert reads its RETURNING) and locks the group row, so concurrent
/// registers of one group queue there and never deadlock; a duplicate swr_path then fails on the images key and
/// rolls the group change back with it. A register with an Idempotency-Key first claims the key in the same
/// transaction (a second request with that key waits there until the first commits or rolls back), then registers and
/// keeps the answer beside the key; a later request with the key gets that answer, or a 422 for another body.
/// </summary>
public sealed class RegisterImageHandler(NpgsqlDataSource dataSource, TimeProvider clock)
    : ICommandHandler<RegisterImageCommand, ImageDto>
{
    private const string RegisterSql = $"""
        WITH grouped AS (
            INSERT INTO image_groups (id, project_id, workspace_id, type, namespace, name, create_at, update_at, version_count)
            VALUES (@GroupId, @ProjectId, @WorkspaceId, @Type, @Namespace, @Name, @Now, @Now, 1)
            ON CONFLICT ON CONSTRAINT image_groups_scope_key DO UPDATE
            SET version_count = image_groups.version_count + 1,
                create_at = LEAST(image_groups.create_at, EXCLUDED.create_at),
                update_at = GREATEST(image_groups.update_at, EXCLUDED.update_at)
            RETURNING id
        )
        INSERT INTO images (id, group_id, project_id, workspace_id, type, namespace, name, tag, swr_path, status,
                            arch, origin, service_type, visibility, resource_categories, dev_services, tags,
                            description, read_me, create_at, update_at)
        SELECT @Id, grouped.id, @ProjectId, @WorkspaceId, @Type, @Namespace, @Name, @Tag, @SwrPath, 'ACTIVE',
               @Arch, @Origin, @ServiceType, @Visibility, @ResourceCategories, @DevServices, @Tags,
               @Description, @ReadMe, @Now, @Now
        FROM grouped
        RETURNING {ImageColumns.Select};
        """;

    private const string ClaimKeySql = """
        INSERT INTO idempotency_keys (project_id, idempotency_key, request_hash, create_at)
        VALUES (@ProjectId, @Key, @RequestHash, @Now)
        ON CONFLICT ON CONSTRAINT idempotency_keys_pkey DO NOTHING
        """;

    private const string FirstAnswerSql = """
        SELECT request_hash AS RequestHash, response::text AS Response
        FROM idempotency_keys
        WHERE project_id = @ProjectId AND idempotency_key = @Key
        """;

    private const string KeepAnswerSql = """
        UPDATE idempotency_keys SET response = @Response::jsonb
        WHERE project_id = @ProjectId AND idempotency_key = @Key
        """;

    public async ValueTask<ImageDto> Handle(RegisterImageCommand command, CancellationToken cancellationToken)
    {
        var path = SwrPath.Parse(command.SwrPath!);
        var builtIn = command.Type == ImageType.BuildIn;
        if (builtIn && !command.MayWriteBuiltIn)
        {
            throw ForbiddenException.BuiltIn($"The image '{path}'");
        }

        var now = clock.GetUtcNow();
        var arguments = new
        {
            Id = Guid.CreateVersion7(now),
            GroupId = Guid.CreateVersion7(now),
            ProjectId = builtIn ? null : command.ProjectId,
            // Built-in images are visible from every workspace; they all live in workspace "0".
            WorkspaceId = builtIn ? ImageRules.DefaultWorkspaceId : command.WorkspaceId,
            Type = WireNames<ImageType>.Of(command.Type),
            path.Namespace,
            path.Name,
            path.Tag,
            SwrPath = path.ToString(),
            Arch = WireNames<ImageArch>.Of(command.Arch),
            Origin = WireNames<ImageOrigin>.Of(command.Origin),
            ServiceType = WireNames<ImageServiceType>.Of(command.ServiceType),
            Visibility = WireNames<ImageVisibility>.Of(command.Visibility),
            ResourceCategories = (command.ResourceCategory ?? []).Select(WireNames<ResourceCategory>.Of).ToArray(),
            DevServices = (command.Services ?? []).Select(WireNames<DevService>.Of).ToArray(),
            Tags = (command.Tags ?? []).ToArray(),
            command.Description,
            command.ReadMe,
            // The API speaks milliseconds; storing more precision would make a read differ from the write.
            Now = DateTime.UnixEpoch.AddMilliseconds(now.ToUnixTimeMilliseconds()),
        };

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        if (command.IdempotencyKey is not { } key)
        {
            return await InsertAsync(connection, arguments, arguments.SwrPath, transaction: null, cancellationToken);
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var keyArguments = new { command.ProjectId, Key = key, RequestHash = RequestHash(command), arguments.Now };
        var claimed = await connection.ExecuteAsync(
            new CommandDefinition(ClaimKeySql, keyArguments, transaction, cancellationToken: cancellationToken)) == 1;
        if (!claimed)
        {
            var first = await connection.QuerySingleAsync<IdempotencyKeyRow>(
                new CommandDefinition(FirstAnswerSql, keyArguments, transaction, cancellationToken: cancellationToken));
            return first.RequestHash.AsSpan().SequenceEqual(keyArguments.RequestHash)
                ? JsonSerializer.Deserialize<ImageDto>(first.Response)!
                : throw new IdempotencyKeyReusedException(key);
        }

        var registered = await InsertAsync(connection, arguments, arguments.SwrPath, transaction, cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            KeepAnswerSql,
            new { keyArguments.ProjectId, keyArguments.Key, Response = JsonSerializer.Serialize(registered) },
            transaction,
            cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return registered;
    }

    /// <summary>
    /// What makes two registrations the same: every field of the command but the key and the caller's role, so bodies
    /// that differ only in spacing, field order or a default spelled out are one registration.
    /// </summary>
    private static byte[] RequestHash(RegisterImageCommand command) =>
        SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(command with { IdempotencyKey = null, MayWriteBuiltIn = false }));

    private static async Task<ImageDto> InsertAsync(
        NpgsqlConnection connection, object arguments, string swrPath, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        try
        {
            var image = await connection.QuerySingleAsync<ImageRow>(
                new CommandDefinition(RegisterSql, arguments, transaction, cancellationToken: cancellationToken));
            return image.ToDto();
        }
        catch (PostgresException exception) when (exception is
        {
            SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: "images_scope_swr_path_key",
        })
        {
            throw new ImageAlreadyRegisteredException(swrPath);
        }
    }

    /// <summary>The kept key: the hash of the registration that claimed it and the answer it got (ImageDto as JSON).</summary>
    private sealed record IdempotencyKeyRow(byte[] RequestHash, string Response);
}
