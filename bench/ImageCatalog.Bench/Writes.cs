using System.Text.Json;
using Dapper;
using Npgsql;

namespace ImageCatalog.Bench;

/// <summary>The outcome of W1: registers per second, then whether the overview still equals a fresh aggregate.</summary>
public sealed record WriteResult(
    Measurement Registers, long GroupsDiffering, long CountsDiffering, bool PageEqualsAggregate, long GroupsBefore, long GroupsAfter)
{
    public bool Exact => GroupsDiffering == 0 && CountsDiffering == 0 && PageEqualsAggregate;
}

/// <summary>
/// W1: RegisterImage on project A, alternately a new version of an existing group and a new group, through the
/// service's HTTP API. Afterwards the read model is compared with an aggregate of the images, the kept counts with a
/// count of the groups, and the service's first page with the naive reference's aggregate-on-read page.
/// </summary>
public static class Writes
{
    private const string GroupsDifferingSql = """
        WITH fresh AS (
            SELECT group_id AS id, count(*)::int AS version_count, min(create_at) AS create_at, max(update_at) AS update_at
            FROM images GROUP BY group_id
        ), kept AS (
            SELECT id, version_count, create_at, update_at FROM image_groups
        )
        SELECT (SELECT count(*) FROM (SELECT * FROM fresh EXCEPT SELECT * FROM kept) AS missing)
             + (SELECT count(*) FROM (SELECT * FROM kept EXCEPT SELECT * FROM fresh) AS extra)
        """;

    private const string CountsDifferingSql = """
        WITH counted AS (
            SELECT project_id, workspace_id, count(*) AS group_count FROM image_groups GROUP BY project_id, workspace_id
        ), kept AS (
            SELECT project_id, workspace_id, group_count FROM image_group_counts WHERE group_count > 0
        )
        SELECT (SELECT count(*) FROM (SELECT * FROM counted EXCEPT SELECT * FROM kept) AS missing)
             + (SELECT count(*) FROM (SELECT * FROM kept EXCEPT SELECT * FROM counted) AS extra)
        """;

    private const string ProjectGroupsSql = "SELECT count(*) FROM image_groups WHERE project_id = @Project";

    public static async Task<WriteResult> RunAsync(
        LoadGenerator generator, HttpClient http, BenchSettings settings, string serviceUrl, string referenceUrl, string token,
        string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        var before = await connection.ExecuteScalarAsync<long>(ProjectGroupsSql, new { Project = DataSet.ProjectA });
        var sequence = 0;
        HttpRequestMessage Register(int _)
        {
            var i = Interlocked.Increment(ref sequence);
            var path = i % 2 == 0
                ? RegistryPath(Scenario.EvenGroup(settings.Data, i), settings.Data, $"w1-{i}")
                : $"swr.example.com/ns-{i % settings.Data.Namespaces}/w1-new-{i}:v1";
            var message = new HttpRequestMessage(HttpMethod.Post, $"{serviceUrl}/v1/{DataSet.ProjectA}/images")
            {
                Content = JsonContent.Create(new { swr_path = path }),
            };
            message.Headers.Add("X-Auth-Token", token);
            return message;
        }

        var registers = await generator.ClosedLoopAsync(Register, settings.Connections, settings.WarmUp, settings.Duration);
        var after = await connection.ExecuteScalarAsync<long>(ProjectGroupsSql, new { Project = DataSet.ProjectA });
        var groupsDiffering = await connection.ExecuteScalarAsync<long>(new CommandDefinition(GroupsDifferingSql, commandTimeout: 600));
        var countsDiffering = await connection.ExecuteScalarAsync<long>(new CommandDefinition(CountsDifferingSql, commandTimeout: 600));
        var pageEqual = await PageEqualsAggregateAsync(http, serviceUrl, referenceUrl, token);
        return new WriteResult(registers, groupsDiffering, countsDiffering, pageEqual, before, after);
    }

    private static string RegistryPath(int group, DataSet data, string tag) =>
        $"swr.example.com/ns-{group % data.Namespaces}/{Scenario.GroupName(group)}:{tag}";

    // The service's first page and total against the naive reference, which aggregates the images on read.
    private static async Task<bool> PageEqualsAggregateAsync(HttpClient http, string serviceUrl, string referenceUrl, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{serviceUrl}/v1/{DataSet.ProjectA}/images/group?limit=50");
        request.Headers.Add("X-Auth-Token", token);
        using var served = await http.SendAsync(request);
        var service = Summary(await served.Content.ReadFromJsonAsync<JsonElement>());
        var naive = Summary(await http.GetFromJsonAsync<JsonElement>($"{referenceUrl}/naive/{DataSet.ProjectA}?limit=50"));
        return service.SequenceEqual(naive) && service.Count > 1;
    }

    private static List<string> Summary(JsonElement page) =>
    [
        $"total {page.GetProperty("total").GetInt64()}",
        .. page.GetProperty("data").EnumerateArray().Select(group =>
            $"{group.GetProperty("namespace").GetString()}/{group.GetProperty("name").GetString()} "
            + $"{group.GetProperty("create_at").GetInt64()} {group.GetProperty("update_at").GetInt64()} {group.GetProperty("version_count").GetInt64()}"),
    ];
}
