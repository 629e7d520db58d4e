using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using ImageCatalog.Infrastructure.Persistence;
using ImageCatalog.IntegrationTests.Infrastructure;
using ImageCatalog.IntegrationTests.Process;
using Microsoft.Extensions.Logging.Abstractions;
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
    private const string AccessKey = "OUTAGE-WRITER";
    private const string SecretKey = "outage-secret";
    private const string Project = "0000000000000000000000000000dead";
    private const int Clients = 8;
    private static readonly TimeSpan RecoveryLimit = TimeSpan.FromSeconds(5);

    [Test]
    public async Task During_an_outage_answers_are_quick_503s_and_within_5_s_of_its_end_the_service_serves_again()
    {
        if (TestEnvironment.Database.Cluster is null)
        {
            Assert.Ignore($"Needs the PostgreSQL server binaries to stop a cluster of its own; the test database came from {TestEnvironment.Database.Description}.");
        }

        var folder = Path.Combine(Path.GetTempPath(), "imagecatalog-outage-" + Guid.NewGuid().ToString("N"));
        var cluster = new PostgresCluster(folder, port: 0, binDirectory: null, NullLogger.Instance);
        try
        {
            await cluster.StartAsync(CancellationToken.None);
            await cluster.CreateDatabaseIfMissingAsync("imagecatalog", CancellationToken.None);
            var connectionString = cluster.ConnectionString("imagecatalog");
            await using var service = ServiceProcess.Start(new Dictionary<string, string>
            {
                ["Database__ConnectionString"] = connectionString,
                ["RateLimit__PermitsPerSecond"] = "1000000",
                ["RateLimit__Burst"] = "1000000",
                ["Auth__AccessKeys__0__AccessKey"] = AccessKey,
                ["Auth__AccessKeys__0__SecretKey"] = SecretKey,
                ["Auth__AccessKeys__0__Projects__0"] = Project,
                ["Auth__AccessKeys__0__Roles__0"] = "writer",
            });
            using var client = new HttpClient(new SdkRequestSigner(AccessKey, SecretKey, () => DateTimeOffset.UtcNow) { InnerHandler = new HttpClientHandler() })
            {
                BaseAddress = service.BaseAddress,
            };
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
        finally
        {
            if (await cluster.IsRunningAsync(CancellationToken.None))
            {
                await cluster.StopAsync(CancellationToken.None);
            }

            Directory.Delete(folder, recursive: true);
        }
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
