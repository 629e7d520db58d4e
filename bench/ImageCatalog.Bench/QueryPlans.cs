using ImageCatalog.Infrastructure.ImageGroups;
using Npgsql;

namespace ImageCatalog.Bench;

/// <summary>
/// The plans the service really runs for a scenario's first request: the product's own command (same shape, same
/// preparation) on one connection with auto_explain reporting each statement's EXPLAIN (ANALYZE, BUFFERS) to the
/// client. The command runs six times, because from the sixth run PostgreSQL may switch a prepared statement to
/// its generic plan; the last run's plans are kept.
/// </summary>
public static class QueryPlans
{
    private const int RunsUntilGenericPlan = 6;

    public static async Task<string> ExplainAsync(string connectionString, Scenario scenario)
    {
        var query = scenario.QueryFor(0);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var plans = new List<string>();
        connection.Notice += (_, e) => plans.Add(e.Notice.MessageText);
        await using (var setup = new NpgsqlCommand(
            """
            LOAD 'auto_explain';
            SET auto_explain.log_min_duration = 0;
            SET auto_explain.log_analyze = on;
            SET auto_explain.log_buffers = on;
            SET auto_explain.log_level = notice;
            """,
            connection))
        {
            await setup.ExecuteNonQueryAsync();
        }

        for (var run = 0; run < RunsUntilGenericPlan; run++)
        {
            plans.Clear();
            await using var batch = await GetImageGroupsHandler.CreateBatchAsync(connection, query, CancellationToken.None);
            await batch.ExecuteNonQueryAsync();
        }

        var shape = GetImageGroupsHandler.GroupQueryShape.Of(query);
        return $"Shape: namespace filter {(shape.ByNamespace ? "yes" : "no")}, name {shape.Name}, "
            + $"{(shape.Prepared ? "prepared (generic plan from the sixth run)" : "not prepared (planned for each call)")}\n\n"
            + string.Join("\n\n", plans);
    }
}
