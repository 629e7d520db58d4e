using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ImageCatalog.Infrastructure;
using ImageCatalog.Infrastructure.Persistence;
using Npgsql;

namespace ImageCatalog.Bench;

/// <summary>
/// Reads on a streaming replica against reads on the primary (docs/scaling.md): a standby of the benchmark's cluster
/// made with <c>pg_basebackup -R</c>, and one service process per variant, differing only in where its queries read.
/// Every variant runs each scenario in two halves, interleaved with the others, so that drift favours none of them.
/// Each measurement also counts the transactions each server ran, which shows where the reads really went.
/// </summary>
public static class Scaling
{
    private static readonly string[] ScenarioIds = ["S2", "S4", "S7"];

    public static async Task<int> RunAsync(
        BenchHost host, BenchSettings settings, string primary, string root, bool smoke, Action<string> progress)
    {
        progress("starting a streaming replica (pg_basebackup -R)");
        var clock = Stopwatch.StartNew();
        var standby = await host.StartStandbyAsync();
        var standbyConnection = standby.ConnectionString("bench");
        await PostgresCluster.WaitForReplayAsync(primary, standbyConnection, TimeSpan.FromMinutes(5), CancellationToken.None);
        var replicaSeconds = clock.Elapsed.TotalSeconds;
        progress($"replica streaming on port {standby.Port}, caught up {replicaSeconds:F1} s after the base backup began");

        var primaryPort = new NpgsqlConnectionStringBuilder(primary).Port;
        string Reads(string target) => new NpgsqlConnectionStringBuilder(primary)
        {
            Host = $"127.0.0.1:{standby.Port},127.0.0.1:{primaryPort}",
            TargetSessionAttributes = target,
            LoadBalanceHosts = true,
        }.ConnectionString;
        var variants = new (string Name, Dictionary<string, string> Settings)[]
        {
            ("reads on the primary", new() { ["Database__ConnectionString"] = primary }),
            ("reads on the replica (prefer-standby)", new()
            {
                ["Database__ConnectionString"] = primary, ["Database__ReadConnectionString"] = Reads("prefer-standby"),
            }),
            ("reads spread over replica and primary (any, load-balanced)", new()
            {
                ["Database__ConnectionString"] = primary, ["Database__ReadConnectionString"] = Reads("any"),
            }),
        };

        using var http = BenchHost.CreateLoadClient(TimeSpan.FromMinutes(5));
        var generator = new LoadGenerator(http);
        var urls = new List<string>();
        foreach (var (_, variantSettings) in variants)
        {
            var url = $"http://127.0.0.1:{LoopbackPort.Free()}";
            host.StartService(url, variantSettings);
            urls.Add(url);
        }

        foreach (var url in urls)
        {
            await BenchHost.WaitForAsync(http, url + "/openapi/v1.json");
        }

        var scenarios = Scenario.All(settings.Data).Where(scenario => ScenarioIds.Contains(scenario.Id)).ToList();
        progress("warming up every variant on every scenario");
        foreach (var scenario in scenarios)
        {
            foreach (var url in urls)
            {
                await generator.ClosedLoopAsync(i => host.GroupRequest(url, scenario, i), settings.Connections, settings.WarmUp, TimeSpan.Zero);
            }
        }

        // A busy backend publishes its counters at most once a second, an idle one within 10 s; before and after each
        // measurement the counts wait that long (the smoke run only checks that they move).
        var settle = smoke ? TimeSpan.FromSeconds(1.5) : TimeSpan.FromSeconds(11);
        await Task.Delay(settle);
        var halves = new Dictionary<(string Scenario, int Variant), List<(Measurement Measurement, long OnPrimary, long OnStandby)>>();
        for (var half = 0; half < 2; half++)
        {
            foreach (var scenario in scenarios)
            {
                for (var v = 0; v < variants.Length; v++)
                {
                    var url = urls[v];
                    var primaryBefore = await TransactionsAsync(primary);
                    var standbyBefore = await TransactionsAsync(standbyConnection);
                    var measurement = await generator.ClosedLoopAsync(
                        i => host.GroupRequest(url, scenario, i), settings.Connections, settings.WarmUp / 5, settings.Duration / 2);
                    await Task.Delay(settle);
                    var onPrimary = await TransactionsAsync(primary) - primaryBefore;
                    var onStandby = await TransactionsAsync(standbyConnection) - standbyBefore;
                    var key = (scenario.Id, v);
                    halves.TryAdd(key, []);
                    halves[key].Add((measurement, onPrimary, onStandby));
                    progress($"  {scenario.Id} {variants[v].Name}: {measurement.RequestsPerSecond:F0} req/s, "
                        + $"transactions primary {onPrimary:N0} / replica {onStandby:N0}");
                }
            }
        }

        var results = halves.Select(pair => new ScalingResult(
                pair.Key.Scenario,
                variants[pair.Key.Variant].Name,
                Measurement.Combine(pair.Value[0].Measurement, pair.Value[1].Measurement),
                pair.Value.Sum(h => h.OnPrimary),
                pair.Value.Sum(h => h.OnStandby)))
            .ToList();
        var report = new ScalingReport(DateTimeOffset.UtcNow, smoke ? "smoke" : "full", Environment.ProcessorCount, settings.Data, replicaSeconds, results, host.Autogroup);
        var resultsFolder = Path.Combine(root, "bench", "results");
        Directory.CreateDirectory(resultsFolder);
        var jsonPath = Path.Combine(resultsFolder, smoke ? "scaling-smoke.json" : "scaling.json");
        File.WriteAllText(jsonPath, JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }));
        var markdownPath = smoke ? Path.Combine(resultsFolder, "scaling-smoke.md") : Path.Combine(root, "docs", "scaling-benchmark.md");
        File.WriteAllText(markdownPath, report.ToMarkdown(variants.Select(variant => variant.Name).ToList()));
        progress($"wrote {jsonPath} and {markdownPath}");

        var failed = results.Where(result => result.Service.Errors > 0 || result.Service.Requests == 0).ToList();
        foreach (var result in failed)
        {
            Console.Error.WriteLine($"{result.Scenario} {result.Variant}: {result.Service.Errors} failed requests, {result.Service.Requests} measured");
        }

        return failed.Count == 0 ? 0 : 1;
    }

    private static async Task<long> TransactionsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        // A fresh snapshot of the statistics, not the one this transaction may have cached.
        await using var clear = new NpgsqlCommand("SELECT pg_stat_clear_snapshot()", connection);
        await clear.ExecuteNonQueryAsync();
        await using var command = new NpgsqlCommand(
            "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = current_database()", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}

/// <summary>One scenario under one variant: the combined closed-loop measurement and the transactions each server ran.</summary>
public sealed record ScalingResult(string Scenario, string Variant, Measurement Service, long PrimaryTransactions, long StandbyTransactions)
{
    public double StandbyShare => (double)StandbyTransactions / Math.Max(1, PrimaryTransactions + StandbyTransactions);
}

public sealed record ScalingReport(
    DateTimeOffset RunAt, string Mode, int Cores, DataSet Data, double ReplicaReadySeconds, IReadOnlyList<ScalingResult> Results,
    string? Autogroup = null)
{
    public string ToMarkdown(IReadOnlyList<string> variants)
    {
        var text = new StringBuilder();
        var culture = CultureInfo.InvariantCulture;
        text.AppendLine("# Reads on a replica: measured");
        text.AppendLine();
        text.AppendLine(culture, $"Produced by `dotnet run -c Release --project bench/ImageCatalog.Bench -- scaling` on {RunAt:yyyy-MM-dd HH:mm} UTC, "
            + $"{Cores} cores; load generator, service processes, the primary and its streaming replica all on this one machine. "
            + $"Data: {Data.Versions:N0} versions (the performance report's set). The replica was made with `pg_basebackup -R` and "
            + $"had caught up {ReplicaReadySeconds:F0} s after the base backup began. How to read these figures: docs/scaling.md. "
            + $"The kernel's autogroup scheduling: {Autogroup ?? "not recorded"} (docs/performance.md explains why it matters).");
        text.AppendLine();
        text.AppendLine("Closed loop, 16 connections; each variant is a service process of its own, interleaved in two halves.");
        text.AppendLine("\"Replica share\" is the replica's part of the transactions both servers ran during the measurement.");
        text.AppendLine();
        text.AppendLine("| scenario | variant | req/s | vs primary | p50 ms | p99 ms | replica share |");
        text.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var scenario in Results.Select(result => result.Scenario).Distinct())
        {
            var onPrimary = Results.Single(result => result.Scenario == scenario && result.Variant == variants[0]).Service.RequestsPerSecond;
            foreach (var variant in variants)
            {
                var result = Results.Single(r => r.Scenario == scenario && r.Variant == variant);
                text.AppendLine(culture,
                    $"| {scenario} | {variant} | {result.Service.RequestsPerSecond:F0} | {result.Service.RequestsPerSecond / onPrimary:F2} x | "
                    + $"{result.Service.P50:F2} | {result.Service.P99:F2} | {result.StandbyShare:P0} |");
            }
        }

        return text.ToString();
    }
}
