using System.Collections.Concurrent;
using System.Diagnostics;
using ImageCatalog.Api.Http;
using ImageCatalog.IntegrationTests.Infrastructure;
using ImageCatalog.IntegrationTests.Process;
using Npgsql;

namespace ImageCatalog.IntegrationTests.Reliability;

/// <summary>
/// Ten times the sustainable load, offered open-loop: the accepted requests keep a bounded p99 (they wait at most for
/// the short queue), the rest get the contract's 503 quickly, the service keeps doing useful work, and once the load
/// drops every request is served again. The database sits behind a relay that adds 10 ms to each of its answers and
/// the pool has 2 connections, so the sustainable rate is one the test's own client can offer ten times over.
/// </summary>
[NonParallelizable]
public sealed class OverloadUnderLoadTests : ApiTest
{
    private const string Project = "00000000000000000000000000000ad5";
    private const int PoolSize = 2;
    private static readonly TimeSpan DatabaseLatency = TimeSpan.FromMilliseconds(10);

    [Test]
    public async Task At_ten_times_the_sustainable_load_accepted_requests_stay_fast_the_rest_are_shed_and_service_recovers()
    {
        var database = new NpgsqlConnectionStringBuilder(TestEnvironment.Database.ConnectionString);
        await using var relay = new TcpProxy(database.Host!, database.Port) { Latency = DatabaseLatency };
        var throughRelay = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Host = "127.0.0.1", Port = relay.Port };
        var settings = ServiceProcess.Settings(throughRelay.ConnectionString, testTokens: true);
        settings["Database__MaxPoolSize"] = PoolSize.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Logging__LogLevel__Default"] = "Warning";
        await using var service = ServiceProcess.Start(settings);
        using var client = new HttpClient { BaseAddress = service.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Add("X-Auth-Token", ImageCatalogFactory.IssueToken([Project], ["reader"]));
        await service.WaitUntilServingAsync(client, "/health/ready", TimeSpan.FromMinutes(1));
        var path = $"/v1/{Project}/images/group?limit=20";

        // Sustainable: as many clients as the pool has connections, in closed loops.
        await ClosedLoopAsync(client, path, PoolSize, TimeSpan.FromSeconds(1));
        var sustainable = await ClosedLoopAsync(client, path, PoolSize, TimeSpan.FromSeconds(ReliabilityFigures.Full ? 10 : 3));
        var sustainableRate = sustainable.Count / sustainable.Seconds;
        Assert.That(sustainable.Statuses, Has.All.EqualTo(200), "the sustainable load is served in full");

        var overloadFor = TimeSpan.FromSeconds(ReliabilityFigures.Full ? 30 : 5);
        var overload = await OpenLoopAsync(client, path, 10 * sustainableRate, overloadFor);
        var recovery = await ClosedLoopAsync(client, path, 1, TimeSpan.FromSeconds(2));

        // At most every running and waiting request ahead of it: twice the time the sustainable rate needs to clear
        // them all, plus scheduling noise. Without a bounded queue the wait grows with the overload's length (34 s here).
        var limits = new OverloadOptions();
        var (running, waiting) = (PoolSize * limits.ConcurrencyPerConnection, PoolSize * limits.QueuePerConnection);
        var waitBoundMs = (2 * (running + waiting) / sustainableRate * 1000) + 250;
        var accepted = overload.Where(answer => answer.Status == 200).Select(answer => answer.Latency).Order().ToList();
        var shed = overload.Where(answer => answer.Status == 503 && answer.IsContractBody).Select(answer => answer.Latency).Order().ToList();
        var other = overload.Where(answer => answer.Status != 200 && !(answer.Status == 503 && answer.IsContractBody)).ToList();
        ReliabilityFigures.Record("overload", new
        {
            PoolSize,
            DatabaseLatencyMs = DatabaseLatency.TotalMilliseconds,
            SustainableRequestsPerSecond = Math.Round(sustainableRate),
            SustainableP99Ms = Math.Round(Percentile(sustainable.Latencies.Order().ToList(), 0.99), 1),
            OfferedRequestsPerSecond = Math.Round(10 * sustainableRate),
            OverloadSeconds = overloadFor.TotalSeconds,
            RequestsTried = overload.Count,
            Accepted = accepted.Count,
            AcceptedPerSecond = Math.Round(accepted.Count / overloadFor.TotalSeconds),
            AcceptedP50Ms = Math.Round(Percentile(accepted, 0.50), 1),
            AcceptedP99Ms = Math.Round(Percentile(accepted, 0.99), 1),
            Shed = shed.Count,
            ShedP50Ms = Math.Round(Percentile(shed, 0.50), 1),
            ShedP99Ms = Math.Round(Percentile(shed, 0.99), 1),
            OtherAnswers = other.Count,
            RecoveryRequests = recovery.Count,
            RecoveryFailures = recovery.Statuses.Count(status => status != 200),
        });

        Assert.Multiple(() =>
        {
            Assert.That(other.Select(answer => $"{answer.Status} {answer.Error}").Distinct().Take(10), Is.Empty, "only successes and the contract's 503");
            Assert.That(shed.Count, Is.GreaterThan(overload.Count / 2), "most of a tenfold load is shed");
            Assert.That(accepted.Count / overloadFor.TotalSeconds, Is.GreaterThan(0.7 * sustainableRate), "the service keeps doing useful work");
            Assert.That(Percentile(accepted, 0.99), Is.LessThan(waitBoundMs), "accepted requests wait a bounded time (ms)");
            Assert.That(Percentile(shed, 0.99), Is.LessThan(500), "refusals are quick (ms)");
            Assert.That(recovery.Statuses, Has.All.EqualTo(200), "served in full once the load drops");
        });
    }

    private static async Task<(int Count, double Seconds, List<int> Statuses, List<double> Latencies)> ClosedLoopAsync(
        HttpClient client, string path, int clients, TimeSpan duration)
    {
        var statuses = new ConcurrentBag<(int Status, double Latency)>();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            while (clock.Elapsed < duration)
            {
                var sent = clock.Elapsed;
                using var response = await client.GetAsync(path);
                statuses.Add(((int)response.StatusCode, (clock.Elapsed - sent).TotalMilliseconds));
            }
        })));
        return (statuses.Count, clock.Elapsed.TotalSeconds, statuses.Select(s => s.Status).ToList(), statuses.Select(s => s.Latency).ToList());
    }

    /// <summary>Sends at <paramref name="rate"/> per second whatever the answers, latency counted from each request's scheduled time.</summary>
    private static async Task<List<Answer>> OpenLoopAsync(HttpClient client, string path, double rate, TimeSpan duration)
    {
        var answers = new ConcurrentBag<Answer>();
        var inFlight = new List<Task>();
        var clock = Stopwatch.StartNew();
        var interval = 1.0 / rate;
        var scheduled = 0;
        while (clock.Elapsed < duration)
        {
            var due = (int)(clock.Elapsed.TotalSeconds / interval);
            for (; scheduled < due; scheduled++)
            {
                var at = TimeSpan.FromSeconds(scheduled * interval);
                inFlight.Add(SendAsync(at));
            }

            await Task.Delay(1);
        }

        await Task.WhenAll(inFlight);
        return [.. answers];

        async Task SendAsync(TimeSpan at)
        {
            try
            {
                using var response = await client.GetAsync(path);
                var body = await response.Content.ReadAsStringAsync();
                answers.Add(new Answer((int)response.StatusCode, (clock.Elapsed - at).TotalMilliseconds,
                    response.Headers.RetryAfter is not null && body.Contains("\"error_code\":\"ModelArts.6503\"", StringComparison.Ordinal), null));
            }
            catch (HttpRequestException exception)
            {
                answers.Add(new Answer(0, (clock.Elapsed - at).TotalMilliseconds, false, exception.Message));
            }
        }
    }

    private static double Percentile(List<double> sorted, double quantile) =>
        sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(quantile * sorted.Count) - 1)];

    private sealed record Answer(int Status, double Latency, bool IsContractBody, string? Error);
}
