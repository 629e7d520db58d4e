using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Dapper;
using ImageCatalog.IntegrationTests.Infrastructure;
using ImageCatalog.IntegrationTests.Process;
using Npgsql;

namespace ImageCatalog.IntegrationTests.Reliability;

/// <summary>
/// A 201 is a promise: registers acknowledged under load survive a crash of PostgreSQL in the middle of that load (an
/// immediate stop, so the restart recovers from the WAL) followed by <c>kill -9</c> of the service, and the group
/// overview is still the exact aggregate of the images afterwards. Runs on a durable cluster of its own (fsync and
/// synchronous commit on), unlike the test database; on the test database's settings it loses writes.
/// </summary>
[NonParallelizable]
public sealed class DurabilityTests
{
    private const string Project = "0000000000000000000000000000d0ab";
    private const int Writers = 8;

    private const string ReadModelDifferencesSql = """
        SELECT count(*) FROM image_groups AS g
        FULL JOIN (SELECT group_id, count(*) AS versions, min(create_at) AS first, max(update_at) AS last
                   FROM images GROUP BY group_id) AS i ON i.group_id = g.id
        WHERE i.versions IS DISTINCT FROM g.version_count OR i.first IS DISTINCT FROM g.create_at OR i.last IS DISTINCT FROM g.update_at
        """;

    [Test]
    public async Task Acknowledged_registers_survive_kill_9_of_the_service_and_a_postgresql_crash()
    {
        await using var database = await OwnPostgresCluster.StartAsync(durable: true);
        var cluster = database.Cluster;
        var connectionString = database.ConnectionString;
        var loadFor = ReliabilityFigures.Full ? TimeSpan.FromSeconds(20) : TimeSpan.FromSeconds(3);

        var acknowledged = new ConcurrentBag<Guid>();
        var unanswered = 0;
        await using (var service = StartService(connectionString))
        {
            using var client = SignedClient(service);
            await service.WaitUntilServingAsync(client, "/health/ready", TimeSpan.FromMinutes(1));

            using var stop = new CancellationTokenSource();
            var writers = Enumerable.Range(0, Writers).Select(writer => Task.Run(async () =>
            {
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    try
                    {
                        using var response = await client.PostAsJsonAsync(
                            $"/v1/{Project}/images", new { swr_path = $"swr.example.com/team/app-{i % 50}:w{writer}-{i}" });
                        if (response.StatusCode == HttpStatusCode.Created)
                        {
                            acknowledged.Add((await response.Content.ReadFromJsonAsync<Image>(Wire.Json))!.Id);
                        }
                    }
                    catch (HttpRequestException)
                    {
                        // Cut off by the kill: never acknowledged, so nothing was promised.
                        Interlocked.Increment(ref unanswered);
                        return;
                    }
                }
            })).ToArray();

            await Task.Delay(loadFor);
            // PostgreSQL crashes first, while registers are still being acknowledged, so every 201 sent up to that
            // moment must already have been durable; then the service dies without any shutdown of its own.
            await cluster.StopImmediatelyAsync(CancellationToken.None);
            await service.KillAsync();
            await stop.CancelAsync();
            await Task.WhenAll(writers);
        }

        var recovery = Stopwatch.StartNew();
        await cluster.StartAsync(CancellationToken.None);
        await using var restarted = StartService(connectionString);
        using var after = SignedClient(restarted);
        await restarted.WaitUntilServingAsync(after, "/health/ready", TimeSpan.FromMinutes(1));
        recovery.Stop();

        await using var connection = new NpgsqlConnection(connectionString);
        var ids = acknowledged.ToArray();
        var found = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM images WHERE id = ANY(@ids)", new { ids });
        var readModelDifferences = await connection.ExecuteScalarAsync<long>(ReadModelDifferencesSql);
        var page = await after.GetFromJsonAsync<GroupPage>($"/v1/{Project}/images/group?limit=1000", Wire.Json);
        ReliabilityFigures.Record("durability", new
        {
            LoadSeconds = loadFor.TotalSeconds,
            Writers,
            AcknowledgedRegisters = ids.Length,
            LostRegisters = ids.Length - found,
            RequestsCutOffByTheKill = unanswered,
            GroupsDifferingFromAFreshAggregate = readModelDifferences,
            PostgresqlRestartToServingSeconds = Math.Round(recovery.Elapsed.TotalSeconds, 2),
        });

        Assert.That(ids, Has.Length.GreaterThan(50), "the load registered enough to prove something");
        Assert.That(found, Is.EqualTo(ids.Length), "every acknowledged register is still there");
        Assert.That(readModelDifferences, Is.Zero, "every group is the exact aggregate of its images");
        Assert.That(page!.Data.Sum(group => group.VersionCount), Is.EqualTo(await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM images")));
    }

    private static ServiceProcess StartService(string connectionString) =>
        ServiceProcess.Start(ServiceProcess.Settings(connectionString, migrate: true, testTokens: true));

    private static HttpClient SignedClient(ServiceProcess service)
    {
        var client = new HttpClient { BaseAddress = service.BaseAddress };
        client.DefaultRequestHeaders.Add("X-Auth-Token", ImageCatalogFactory.IssueToken([Project], ["writer"]));
        return client;
    }
}
