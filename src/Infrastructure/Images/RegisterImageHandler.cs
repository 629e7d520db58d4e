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
/// rolls the group change back with it.
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
        try
        {
            var image = await connection.QuerySingleAsync<ImageRow>(
                new CommandDefinition(RegisterSql, arguments, cancellationToken: cancellationToken));
            return image.ToDto();
        }
        catch (PostgresException exception) when (exception is
        {
            SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: "images_scope_swr_path_key",
        })
        {
            throw new ImageAlreadyRegisteredException(arguments.SwrPath);
        }
    }
}
