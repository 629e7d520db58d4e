using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using ImageCatalog.IntegrationTests.Infrastructure;
using ImageCatalog.IntegrationTests.Process;
using Npgsql;

namespace ImageCatalog.IntegrationTests.Reliability;

/// <summary>
/// PostgreSQL stopped in the middle of load (a real <c>pg_ctl stop</c>, not a cut relay): every answer is a success
/// or a quick 503 with the contract's body and Retry-After, readiness fails, and within 5 s of PostgreSQL returning the
/// same service process serves reads and writes again; nothing acknowledged is lost.
/// </summary>
[NonParallelizable]
public sealed class OutageUnderLoadTests
{
    private const string Project = "0000000000000000000000000000dead";
    private const int Clients = 8;
    private static readonly TimeSpan RecoveryLimit = TimeSpan.FromSeconds(5);

    [Test]
    public async Task During_an_outage_answers_are_quick_503s_and_within_5_s_of_its_end_the_service_serves_again()
    {
        await using var database = await OwnPostgresCluster.StartAsync(durable: true);
        var cluster = database.Cluster;
        var connectionString = database.ConnectionString;
        await using var service = ServiceProcess.Start(ServiceProcess.Settings(connectionString, migrate: true, testTokens: true));
        using var client = new HttpClient { BaseAddress = service.BaseAddress };
        client.DefaultRequestHeaders.Add("X-Auth-Token", ImageCatalogFactory.IssueToken([Project], ["writer"]));
        await service.WaitUntilServingAsync(client, "/health/ready", TimeSpan.FromMinutes(1));

        var clock = Stopwatch.StartNew();
        var answers = new ConcurrentBag<Answer>();
        var acknowledged = new ConcurrentBag<Guid>();
        using var stopLoad = new CancellationTokenSource();
        var load = Enumerable.Range(0, Clients).Select(worker => Task.Run(async () =>
        {
            for (var i = 0; !stopLoad.IsCancellationRequested; i++)
            {
                var write = i % 2 == 0;
                var sent = clock.Elapsed;
                using var response = write
                    ? await client.PostAsJsonAsync($"/v1/{Project}/images", new { swr_path = $"swr.example.com/team/app-{worker}:{i}" })
                    : await client.GetAsync($"/v1/{Project}/images/group?limit=20");
                var body = await response.Content.ReadAsStringAsync();
                answers.Add(new Answer(sent, clock.Elapsed - sent, write, (int)response.StatusCode, response.Headers.RetryAfter?.Delta, body));
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    acknowledged.Add(JsonDocument.Parse(body).RootElement.GetProperty("id").GetGuid());
                }
            }
        })).ToArray();

        await Task.Delay(TimeSpan.FromSeconds(1));
        var outageStarted = clock.Elapsed;
        await cluster.StopAsync(CancellationToken.None);
        await Task.Delay(ReliabilityFigures.Full ? TimeSpan.FromSeconds(30) : TimeSpan.FromSeconds(3));
        var readinessDuringOutage = (await client.GetAsync("/health/ready")).StatusCode;
        await cluster.StartAsync(CancellationToken.None);
        var outageEnded = clock.Elapsed;
        await Task.Delay(RecoveryLimit + TimeSpan.FromSeconds(1));
        await stopLoad.CancelAsync();
        await Task.WhenAll(load);
        var readinessAfter = (await client.GetAsync("/health/ready")).StatusCode;

        var all = answers.ToList();
        var unexpected = all.Where(answer => answer.Status is not (200 or 201) && !answer.IsContract503).ToList();
        var during = all.Where(answer => answer.Sent >= outageStarted && answer.Sent < outageEnded).ToList();
        var firstRead = FirstSuccessAfter(all, outageEnded, write: false);
        var firstWrite = FirstSuccessAfter(all, outageEnded, write: true);
        var afterRecovery = all.Where(answer => answer.Sent >= outageEnded + RecoveryLimit).ToList();
        await using var connection = new NpgsqlConnection(connectionString);
        var ids = acknowledged.ToArray();
        var found = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM images WHERE id = ANY(@ids)", new { ids });
        ReliabilityFigures.Record("database-outage", new
        {
            Clients,
            RequestsTried = all.Count,
            OutageSeconds = Math.Round((outageEnded - outageStarted).TotalSeconds, 2),
            AnsweredDuringTheOutage = during.Count,
            ServiceUnavailableDuringTheOutage = during.Count(answer => answer.IsContract503),
            SlowestAnswerDuringTheOutageMs = during.Count > 0 ? Math.Round(during.Max(answer => answer.Took).TotalMilliseconds, 1) : 0,
            OtherStatusesOrBodies = unexpected.Count,
            OtherServerErrors = all.Count(answer => answer.Status >= 500 && answer.Status != 503),
            ReadinessDuringTheOutage = (int)readinessDuringOutage,
            FirstReadServedSecondsAfterPostgresqlReturned = firstRead?.TotalSeconds,
            FirstWriteServedSecondsAfterPostgresqlReturned = firstWrite?.TotalSeconds,
            AcknowledgedRegisters = ids.Length,
            LostRegisters = ids.Length - found,
        });

        Assert.Multiple(() =>
        {
            Assert.That(unexpected.Select(answer => answer.ToString()).Take(10), Is.Empty, "every answer is a success or the contract's 503");
            Assert.That(during.Count(answer => answer.IsContract503), Is.GreaterThan(Clients), "the outage was met under load");
            Assert.That(during.Max(answer => answer.Took), Is.LessThan(TimeSpan.FromSeconds(5)), "no request hangs beyond Database:ConnectTimeout");
            Assert.That(readinessDuringOutage, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(firstRead, Is.LessThan(RecoveryLimit), "reads are served again within 5 s");
            Assert.That(firstWrite, Is.LessThan(RecoveryLimit), "writes are served again within 5 s");
            Assert.That(afterRecovery.Where(answer => answer.Status is not (200 or 201)).Select(answer => answer.ToString()), Is.Empty, "and keep being served");
            Assert.That(readinessAfter, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(found, Is.EqualTo(ids.Length), "no acknowledged register is lost");
        });
    }

    /// <summary>How long after <paramref name="since"/> the first successful request of its kind was sent.</summary>
    private static TimeSpan? FirstSuccessAfter(List<Answer> answers, TimeSpan since, bool write) =>
        answers.Where(answer => answer.Write == write && answer.Sent >= since && answer.Status is 200 or 201)
            .Select(answer => (TimeSpan?)(answer.Sent - since))
            .Min();

    private sealed record Answer(TimeSpan Sent, TimeSpan Took, bool Write, int Status, TimeSpan? RetryAfter, string Body)
    {
        public bool IsContract503 =>
            Status == 503 && RetryAfter is not null && Body.Contains("\"error_code\":\"ModelArts.6503\"", StringComparison.Ordinal);

        public override string ToString() => $"{(Write ? "write" : "read")} at {Sent.TotalSeconds:F2} s: {Status} {Body}";
    }
}
