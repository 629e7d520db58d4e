using System.Text.Json;
using ImageCatalog.Api.Http;
using ImageCatalog.Application.ImageGroups.GetImageGroups;
using ImageCatalog.Infrastructure.ImageGroups;
using ImageCatalog.Infrastructure.Persistence;
using Npgsql;

namespace ImageCatalog.Bench;

/// <summary>
/// The two references of issue 5, on the same data and machine, in a process of their own:
/// <c>/floor</c> runs the product's own SQL (same shapes, same preparation) with raw Npgsql and writes the same JSON, with no mediator, validation
/// or mapping; <c>/naive</c> aggregates on read from the images table, as a typical implementation would.
/// </summary>
public static class ReferenceServer
{
    private const string NaiveSql = """
        SELECT g.*, count(*) OVER () AS total FROM (
            SELECT min(id::text) AS id, namespace, name, min(create_at) AS create_at, max(update_at) AS update_at, count(*) AS version_count
            FROM images
            WHERE ((project_id = $1 AND workspace_id = $2) OR project_id IS NULL)
              AND ($3::text IS NULL OR namespace = $3)
              AND ($4::text IS NULL OR name = $4)
              AND ($5::text IS NULL OR name LIKE $5)
            GROUP BY project_id, workspace_id, namespace, name
        ) AS g
        ORDER BY update_at DESC, namespace, name
        LIMIT $6 OFFSET $7
        """;

    public static async Task RunAsync(string connectionString, string url)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(url);
        // The product's sessions too (pool size, no reset on return): the floor differs from the service only in the
        // layers. Timeouts long enough for the naive peer's aggregates.
        var sessions = new DatabaseOptions { CommandTimeout = TimeSpan.FromMinutes(10), StatementTimeout = TimeSpan.FromMinutes(10) };
        await using var dataSource = NpgsqlDataSource.Create(sessions.ForService(connectionString));
        var app = builder.Build();
        app.MapGet("/floor/{project}", (HttpContext context, string project) => FloorAsync(context, dataSource, project));
        app.MapGet("/naive/{project}", (HttpContext context, string project) => NaiveAsync(context, dataSource, project));
        // The process's allocations so far, so that a run can set the floor's bytes per request beside the service's.
        app.MapGet("/allocated", () => GC.GetTotalAllocatedBytes(precise: false));
        await app.RunAsync();
    }

    private static async Task FloorAsync(HttpContext context, NpgsqlDataSource dataSource, string project)
    {
        var filter = Filter.From(context.Request.Query);
        await using var connection = await dataSource.OpenConnectionAsync(context.RequestAborted);
        await using var batch = await GetImageGroupsHandler.CreateBatchAsync(connection, filter.ToQuery(project), context.RequestAborted);
        await using var reader = await batch.ExecuteReaderAsync(context.RequestAborted);
        await WritePageAsync(context, reader, filter, totalFromColumn: false);
    }

    private static async Task NaiveAsync(HttpContext context, NpgsqlDataSource dataSource, string project)
    {
        var filter = Filter.From(context.Request.Query);
        await using var connection = await dataSource.OpenConnectionAsync(context.RequestAborted);
        await using var command = new NpgsqlCommand(NaiveSql, connection)
        {
            Parameters =
            {
                new() { Value = project },
                new() { Value = filter.Workspace },
                new() { Value = (object?)filter.Namespace ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text },
                new() { Value = filter.Exact ? (object?)filter.Name ?? DBNull.Value : DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text },
                new() { Value = !filter.Exact && filter.Name is not null ? LikePattern.Containing(filter.Name) : DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text },
                new() { Value = filter.Limit },
                new() { Value = filter.Offset },
            },
        };
        command.CommandTimeout = 300;
        await using var reader = await command.ExecuteReaderAsync(context.RequestAborted);
        await WritePageAsync(context, reader, filter, totalFromColumn: true);
    }

    // The page is written as the service writes it (JsonBody): into a pooled buffer, then sent in one piece with its
    // length; the floor must not pay for framing or allocation that the service no longer pays.
    private static async Task WritePageAsync(HttpContext context, NpgsqlDataReader reader, Filter filter, bool totalFromColumn)
    {
        var rows = new List<(Guid Id, string Namespace, string Name, DateTime Create, DateTime Update, long Count)>();
        long total = 0;
        while (await reader.ReadAsync(context.RequestAborted))
        {
            // The naive peer's id is min(id::text), the floor's the group's uuid.
            var id = totalFromColumn ? Guid.Parse(reader.GetString(0)) : reader.GetGuid(0);
            rows.Add((id, reader.GetString(reader.GetOrdinal(totalFromColumn ? "namespace" : "Namespace")),
                reader.GetString(reader.GetOrdinal(totalFromColumn ? "name" : "Name")),
                reader.GetDateTime(reader.GetOrdinal(totalFromColumn ? "create_at" : "CreateAt")),
                reader.GetDateTime(reader.GetOrdinal(totalFromColumn ? "update_at" : "UpdateAt")),
                Convert.ToInt64(reader.GetValue(reader.GetOrdinal(totalFromColumn ? "version_count" : "VersionCount")), System.Globalization.CultureInfo.InvariantCulture)));
            if (totalFromColumn)
            {
                total = reader.GetInt64(reader.GetOrdinal("total"));
            }
        }

        if (!totalFromColumn && await reader.NextResultAsync(context.RequestAborted) && await reader.ReadAsync(context.RequestAborted))
        {
            total = reader.GetInt64(0);
        }

        using var body = new PooledBufferWriter();
        using (var json = new Utf8JsonWriter(body))
        {
            json.WriteStartObject();
            json.WriteNumber("current", (filter.Offset / filter.Limit) + 1);
            json.WriteNumber("pages", (total + filter.Limit - 1) / filter.Limit);
            json.WriteNumber("size", rows.Count);
            json.WriteNumber("total", total);
            json.WriteStartArray("data");
            foreach (var row in rows)
            {
                json.WriteStartObject();
                json.WriteString("id", row.Id);
                json.WriteString("name", row.Name);
                json.WriteString("namespace", row.Namespace);
                json.WriteNumber("create_at", new DateTimeOffset(row.Create, TimeSpan.Zero).ToUnixTimeMilliseconds());
                json.WriteNumber("update_at", new DateTimeOffset(row.Update, TimeSpan.Zero).ToUnixTimeMilliseconds());
                json.WriteNumber("version_count", row.Count);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.ContentLength = body.WrittenMemory.Length;
        await context.Response.BodyWriter.WriteAsync(body.WrittenMemory, context.RequestAborted);
    }

    internal sealed record Filter(string? Name, bool Exact, string? Namespace, string Workspace, int Limit, int Offset)
    {
        public GetImageGroupsQuery ToQuery(string project) =>
            new(project, Name, NameFuzzyMatch: !Exact, Namespace, Type: null, Workspace, Limit, Offset);

        public static Filter From(IQueryCollection query) => new(
            query["name"].FirstOrDefault(),
            string.Equals(query["name_fuzzy_match"], "false", StringComparison.OrdinalIgnoreCase),
            query["namespace"].FirstOrDefault(),
            query["workspace_id"].FirstOrDefault() ?? "0",
            int.TryParse(query["limit"], out var limit) ? limit : 200,
            int.TryParse(query["offset"], out var offset) ? offset : 0);
    }
}
