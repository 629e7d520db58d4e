using System.Diagnostics;
using ImageCatalog.Infrastructure.ImageGroups;
using Npgsql;

namespace ImageCatalog.Bench;

/// <summary>One point of the cost-growth runs: a scenario's latency through the service with one connection.</summary>
public sealed record GrowthPoint(string Scenario, long Versions, double P50, double P99);

/// <summary>
/// How the product's SQL behaves prepared and not: mean latency of one statement shape on one connection, run
/// unprepared (planned for each call), prepared with PostgreSQL's default plan choice, and prepared with the
/// generic plan forced; plus how many generic and custom plans PostgreSQL used in the default mode.
/// </summary>
public sealed record PreparationResult(
    string Scenario, string Shape, bool ProductPrepares, double UnpreparedMs, double PreparedMs, long GenericPlans, long CustomPlans,
    double ForcedGenericMs);

public static class Growth
{
    /// <summary>S2 and S3 against projects of 10k and 100k versions shaped like project A, and project A itself.</summary>
    public static async Task<List<GrowthPoint>> RunAsync(
        LoadGenerator generator, BenchSettings settings, Func<Scenario, Func<int, HttpRequestMessage>> serviceRequest,
        Action<string> progress)
    {
        var sizes = new[] { settings.Data.Groups / 100, settings.Data.Groups / 10 }
            .Select(groups => (Project: DataSet.GrowthProject(groups), Versions: (long)groups * settings.Data.VersionsPerGroup))
            .Append((Project: DataSet.ProjectA, Versions: (long)settings.Data.Groups * settings.Data.VersionsPerGroup))
            .ToList();
        var points = new List<GrowthPoint>();
        foreach (var scenario in Scenario.All(settings.Data).Where(s => s.Id is "S2" or "S3"))
        {
            foreach (var (project, versions) in sizes)
            {
                var measured = await generator.ClosedLoopAsync(
                    serviceRequest(scenario with { Project = project }), connections: 1, settings.WarmUp, settings.Duration / 2);
                points.Add(new GrowthPoint(scenario.Id, versions, measured.P50, measured.P99));
                progress($"  {scenario.Id} at {versions:N0} versions: p50 {measured.P50:F2} ms, p99 {measured.P99:F2} ms");
            }
        }

        return points;
    }

    public static async Task<List<PreparationResult>> ComparePreparationAsync(string connectionString, DataSet data, int runs)
    {
        var results = new List<PreparationResult>();
        foreach (var scenario in Scenario.All(data))
        {
            var unprepared = await MeanLatencyAsync(connectionString, scenario, runs, prepare: false, forceGeneric: false);
            var prepared = await MeanLatencyAsync(connectionString, scenario, runs, prepare: true, forceGeneric: false);
            var generic = await MeanLatencyAsync(connectionString, scenario, runs, prepare: true, forceGeneric: true);
            var shape = GetImageGroupsHandler.GroupQueryShape.Of(scenario.QueryFor(0));
            results.Add(new PreparationResult(
                scenario.Id, $"namespace {(shape.ByNamespace ? "yes" : "no")}, name {shape.Name}", shape.Prepared,
                unprepared.Mean, prepared.Mean, prepared.Generic, prepared.Custom, generic.Mean));
        }

        return results;
    }


    private static async Task<(double Mean, long Generic, long Custom)> MeanLatencyAsync(
        string connectionString, Scenario scenario, int runs, bool prepare, bool forceGeneric)
    {
        // A fresh session each time (no pooling), so no statement prepared by another variant is reused.
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        if (forceGeneric)
        {
            await using var setting = new NpgsqlCommand("SET plan_cache_mode = force_generic_plan", connection);
            await setting.ExecuteNonQueryAsync();
        }

        var elapsed = TimeSpan.Zero;
        for (var i = 0; i < runs; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await using var batch = await GetImageGroupsHandler.CreateBatchAsync(connection, scenario.QueryFor(i), CancellationToken.None, prepare);
            await batch.ExecuteNonQueryAsync();
            elapsed += Stopwatch.GetElapsedTime(start);
        }

        await using var plans = new NpgsqlCommand(
            "SELECT coalesce(sum(generic_plans), 0)::bigint, coalesce(sum(custom_plans), 0)::bigint FROM pg_prepared_statements", connection);
        await using var reader = await plans.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (elapsed.TotalMilliseconds / runs, reader.GetInt64(0), reader.GetInt64(1));
    }
}
