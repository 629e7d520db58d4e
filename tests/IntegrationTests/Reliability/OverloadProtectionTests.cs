using System.Diagnostics;
using System.Net;
using Dapper;
using ImageCatalog.Api.Http;
using ImageCatalog.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ImageCatalog.IntegrationTests.Reliability;

/// <summary>
/// Load shedding sized to the connection pool: past the running and waiting requests it allows, a request gets an
/// immediate 503 with Retry-After and the contract's body, probes are never shed, and service resumes on its own.
/// </summary>
[NonParallelizable]
public sealed class OverloadProtectionTests
{
    [SetUp]
    public async Task StartFromEmptyDatabaseAsync() => await TestEnvironment.ResetDatabaseAsync();

    [Test]
    public async Task Past_the_running_and_waiting_requests_a_request_gets_an_immediate_503_and_service_resumes()
    {
        // One pooled connection, one request running and one waiting.
        await using var service = Service(("Database:MaxPoolSize", "1"), ("Overload:ConcurrencyPerConnection", "1"), ("Overload:QueuePerConnection", "1"));
        using var client = service.CreateSignedClient();
        var path = $"/v1/{ImageCatalogFactory.ProjectA}/images/group";
        Assert.That((await client.GetAsync(path)).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        Task<HttpResponseMessage> running, waiting;
        await using (var blocker = await HoldGroupsLockAsync())
        {
            running = client.GetAsync(path);
            await WaitForLockWaitersAsync(1);
            waiting = client.GetAsync(path);
            await Task.Delay(200);
            Assert.That(waiting.IsCompleted, Is.False, "the second request waits for its turn");

            var clock = Stopwatch.StartNew();
            using var shed = await client.GetAsync(path);
            clock.Stop();

            Assert.That(shed.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(shed.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(1)));
            Assert.That(await shed.Content.ReadAsStringAsync(), Does.Contain("\"error_code\":\"ModelArts.6503\""));
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(1)), "refused at once, not after waiting");
            Assert.That((await client.GetAsync("/health/live")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "probes are not shed");
            Assert.That((await client.GetAsync("/metrics")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "metrics are not shed");
        }

        Assert.That((await running).StatusCode, Is.EqualTo(HttpStatusCode.OK), "the running request finishes");
        Assert.That((await waiting).StatusCode, Is.EqualTo(HttpStatusCode.OK), "the waiting request gets its turn");
        var after = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => client.GetAsync(path)));
        Assert.That(after.Select(response => response.StatusCode), Has.All.EqualTo(HttpStatusCode.OK), "served again once the load is gone");
    }

    [TestCase("Host=127.0.0.1", 3, 6, 24)]
    [TestCase("Host=127.0.0.1;Maximum Pool Size=5", 3, 10, 40)]
    public void The_limits_follow_the_pool_the_service_really_has(string connectionStringPart, int configuredPool, int running, int waiting)
    {
        var database = new NpgsqlConnectionStringBuilder(TestEnvironment.Database.ConnectionString);
        var connectionString = $"{connectionStringPart};Port={database.Port};Username={database.Username};Database={database.Database}";
        using var service = new ImageCatalogFactory(connectionString, TestEnvironment.Clock, builder =>
            builder.UseSetting("Database:MaxPoolSize", configuredPool.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        var protection = service.Services.GetRequiredService<OverloadProtection>();

        Assert.That((protection.ConcurrencyLimit, protection.QueueLimit), Is.EqualTo((running, waiting)));
    }

    private static ImageCatalogFactory Service(params (string Key, string Value)[] settings) =>
        new(TestEnvironment.Database.ConnectionString, TestEnvironment.Clock, builder =>
        {
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
        });

    private static async Task<NpgsqlConnection> HoldGroupsLockAsync()
    {
        var connection = new NpgsqlConnection(TestEnvironment.Database.ConnectionString);
        await connection.OpenAsync();
        await connection.ExecuteAsync("BEGIN; LOCK TABLE image_groups IN ACCESS EXCLUSIVE MODE;");
        return connection;
    }

    private static async Task WaitForLockWaitersAsync(int count)
    {
        await using var connection = new NpgsqlConnection(TestEnvironment.Database.ConnectionString);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (await connection.ExecuteScalarAsync<long>(
                   "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()") < count)
        {
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), "the first request never reached the lock");
            await Task.Delay(20);
        }
    }
}
