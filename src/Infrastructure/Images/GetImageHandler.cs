using Dapper;
using ImageCatalog.Application.Common.Exceptions;
using ImageCatalog.Application.Images;
using ImageCatalog.Application.Images.GetImage;
using ImageCatalog.Infrastructure.Persistence;
using Mediator;

namespace ImageCatalog.Infrastructure.Images;

/// <summary>A project sees its own images, in every workspace, and the built-in ones.</summary>
public sealed class GetImageHandler(QueryConnections connections) : IQueryHandler<GetImageQuery, ImageDto>
{
    private const string Sql = $"""
        SELECT {ImageColumns.Select}
        FROM images
        WHERE id = @Id AND (project_id = @ProjectId OR project_id IS NULL);
        """;

    public async ValueTask<ImageDto> Handle(GetImageQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(query.Consistency, cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<ImageRow>(
            new CommandDefinition(Sql, new { query.Id, query.ProjectId }, cancellationToken: cancellationToken));
        return row?.ToDto() ?? throw NotFoundException.Image(query.Id);
    }
}
